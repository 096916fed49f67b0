//! One host at a time, with the real binary against a loopback HTTP server that counts
//! the requests in flight to each host (by the Host header: "127.0.0.1" and "localhost"
//! are two hosts of one server): `[general] max_per_host` holds, other hosts go on
//! meanwhile, and a 429 or 503 holds the host's other feeds (a short Retry-After waited
//! out in the refresh, a long one ending the host's turn with a line saying why).

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{feeds, Env, Reply, Server};

/// Per host: requests in flight now, and the most there ever were.
type InFlight = Arc<Mutex<HashMap<String, (usize, usize)>>>;

/// `n` slow feeds at /f0../fN that count what is in flight while they answer.
fn slow_feeds(server: &Server, n: usize, delay: Duration) -> InFlight {
    let counts: InFlight = Arc::default();
    for i in 0..n {
        let counts = counts.clone();
        server.route(&format!("/f{i}"), move |r| {
            let host = r.header("host").unwrap_or("").to_string();
            {
                let mut c = counts.lock().unwrap();
                let e = c.entry(host.clone()).or_default();
                e.0 += 1;
                e.1 = e.1.max(e.0);
            }
            std::thread::sleep(delay);
            counts.lock().unwrap().get_mut(&host).unwrap().0 -= 1;
            Reply::ok("application/rss+xml", feeds::rss(&format!("slow{i}"), 1, 1))
        });
    }
    counts
}

fn config(general: &str, urls: &[String]) -> String {
    let mut c = format!("[general]\nrefresh_on_startup = false\n{general}\n");
    for u in urls {
        c.push_str(&format!("\n[[feed]]\nurl = \"{u}\"\n"));
    }
    c
}

#[test]
fn twelve_feeds_on_one_slow_host_go_two_at_a_time_while_another_host_goes_on() {
    let server = Server::start();
    let counts = slow_feeds(&server, 16, Duration::from_millis(250));
    let mut urls: Vec<String> = (0..12).map(|i| server.url(&format!("/f{i}"))).collect();
    // Four more on another host name of the same server.
    urls.extend((12..16).map(|i| {
        server
            .url(&format!("/f{i}"))
            .replace("127.0.0.1", "localhost")
    }));
    let env = Env::new(&config(
        "max_per_host = 2\nmax_concurrent_fetches = 16",
        &urls,
    ));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["ok"], 16, "{summary}");
    let counts = counts.lock().unwrap();
    let most = |prefix: &str| {
        counts
            .iter()
            .filter(|(h, _)| h.starts_with(prefix))
            .map(|(_, (_, max))| *max)
            .max()
            .unwrap_or(0)
    };
    assert_eq!(most("127.0.0.1"), 2, "{counts:?}");
    assert_eq!(most("localhost"), 2, "{counts:?}");
}

#[test]
fn max_per_host_defaults_to_two_and_can_be_raised() {
    let server = Server::start();
    let counts = slow_feeds(&server, 8, Duration::from_millis(250));
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/f{i}"))).collect();
    let env = Env::new(&config("", &urls));
    assert_eq!(env.json(&["refresh", "--json"])["ok"], 8);
    assert_eq!(counts.lock().unwrap().values().next().unwrap().1, 2);
    counts.lock().unwrap().clear();
    env.write_config(&config("max_per_host = 4", &urls));
    assert_eq!(env.json(&["refresh", "--json", "--force"])["ok"], 8);
    let most = counts.lock().unwrap().values().next().unwrap().1;
    assert!((3..=4).contains(&most), "{most}");
    env.write_config(&config("max_per_host = 0", &urls));
    let out = env.run(&["refresh"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml:3:16: max_per_host must be at least 1"),
        "{err}"
    );
}

#[test]
fn a_429_holds_the_host_s_other_feeds_and_not_other_hosts() {
    let server = Server::start();
    // The first feed asked is told to come back in an hour; with one request at a time
    // the host's other feeds come after it and are not sent.
    let asked = Arc::new(Mutex::new(0));
    for i in 0..4 {
        let asked = asked.clone();
        server.route(&format!("/busy{i}"), move |_| {
            let mut n = asked.lock().unwrap();
            *n += 1;
            if *n == 1 {
                Reply::status(429).with_header("Retry-After", "3600")
            } else {
                Reply::ok("application/rss+xml", feeds::rss("busy", 1, 1))
            }
        });
    }
    server.fixed("/other", "application/rss+xml", feeds::rss("other", 1, 1));
    let mut urls: Vec<String> = (0..4).map(|i| server.url(&format!("/busy{i}"))).collect();
    urls.push(server.url("/other").replace("127.0.0.1", "localhost"));
    let env = Env::new(&config("max_per_host = 1", &urls));
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The feed answered 429 failed; the three its host held did not.
    assert_eq!(summary["failed"], 1, "{summary}");
    assert_eq!(summary["held"], 3, "{summary}");
    assert_eq!(summary["ok"], 1, "{summary}");
    assert_eq!(*asked.lock().unwrap(), 1, "the held host was asked again");
    // One line each on stderr, saying why; only the feed that was answered 429 counts
    // a failure of its own.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("answered HTTP 429 to another feed and asked to wait until")
            .count(),
        3,
        "{stderr}"
    );
    let feeds = env.json(&["feeds", "--json"]);
    let failing: Vec<&serde_json::Value> = feeds
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["consecutive_failures"] != 0)
        .collect();
    assert_eq!(failing.len(), 1, "{feeds}");
    assert_eq!(failing[0]["last_error"], "HTTP 429 Too Many Requests");
    // They keep the wait: the next refresh leaves the host alone too, and counts them
    // as it did (a cron script reading `failed` sees the one failing feed).
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(*asked.lock().unwrap(), 1, "{summary}");
    assert_eq!(
        (&summary["failed"], &summary["held"], &summary["ok"]),
        (&1.into(), &3.into(), &1.into()),
        "{summary}"
    );
    let out = env.run(&["refresh"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("1 failed, 3 waiting for their host"),
        "{said}"
    );
}

#[test]
fn a_short_retry_after_is_waited_out_within_the_refresh() {
    let server = Server::start();
    let asked = Arc::new(Mutex::new(Vec::new()));
    for i in 0..3 {
        let asked = asked.clone();
        server.route(&format!("/s{i}"), move |_| {
            let mut a = asked.lock().unwrap();
            a.push((i, std::time::Instant::now()));
            if a.len() == 1 {
                Reply::status(503).with_header("Retry-After", "1")
            } else {
                Reply::ok("application/rss+xml", feeds::rss(&format!("s{i}"), 1, 1))
            }
        });
    }
    let urls: Vec<String> = (0..3).map(|i| server.url(&format!("/s{i}"))).collect();
    let env = Env::new(&config("max_per_host = 1", &urls));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["ok"], 2, "{summary}");
    assert_eq!(summary["failed"], 1, "{summary}");
    let asked = asked.lock().unwrap();
    assert_eq!(asked.len(), 3);
    // The next request to the host came after the second it asked for.
    let gap = asked[1].1 - asked[0].1;
    assert!(gap >= Duration::from_millis(900), "{gap:?}");
}

#[test]
fn a_503_without_retry_after_holds_the_host_a_few_seconds() {
    let server = Server::start();
    let asked = Arc::new(Mutex::new(Vec::new()));
    for i in 0..2 {
        let asked = asked.clone();
        server.route(&format!("/n{i}"), move |_| {
            let mut a = asked.lock().unwrap();
            a.push(std::time::Instant::now());
            if a.len() == 1 {
                Reply::status(503)
            } else {
                Reply::ok("application/rss+xml", feeds::rss(&format!("n{i}"), 1, 1))
            }
        });
    }
    let urls: Vec<String> = (0..2).map(|i| server.url(&format!("/n{i}"))).collect();
    let env = Env::new(&config("max_per_host = 1", &urls));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["ok"], 1, "{summary}");
    let asked = asked.lock().unwrap();
    assert_eq!(asked.len(), 2);
    let gap = asked[1] - asked[0];
    assert!(gap >= Duration::from_millis(4500), "{gap:?}");
}

/// A host's place is the server's to count, not the reader's: it is free again once the
/// server has answered, while that answer is still being read (here, through a filter
/// that waits until the host's next feed has been asked for). Were the place held until
/// the feed was read, the next request could not come before the filter gave up.
#[test]
fn a_host_s_place_is_free_again_while_its_answer_is_read() {
    let server = Server::start();
    let marks = tempfile::tempdir().unwrap();
    let asked = marks.path().join("second-asked");
    server.route("/first", |_| {
        Reply::ok("application/rss+xml", feeds::rss("first", 2, 1))
    });
    {
        let asked = asked.clone();
        server.route("/second", move |_| {
            std::fs::write(&asked, "").unwrap();
            Reply::ok("application/rss+xml", feeds::rss("second", 2, 1))
        });
    }
    let log = marks.path().join("filter.log");
    let wait = format!(
        "i=0; while [ ! -e '{a}' ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; \
         if [ -e '{a}' ]; then echo saw > '{l}'; else echo gave-up > '{l}'; fi; cat",
        a = asked.display(),
        l = log.display()
    );
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\nmax_per_host = 1\nmax_concurrent_fetches = 4\n\n\
         [[feed]]\nurl = \"{}\"\nfilter = [\"sh\", \"-c\", {}]\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/first"),
        serde_json::to_string(&wait).unwrap(),
        server.url("/second"),
    ));
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["ok"], 2, "{summary}");
    let seen = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        seen.trim(),
        "saw",
        "the second feed waited for the first's filter"
    );
}
