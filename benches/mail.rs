//! Reading newsletters from a Maildir: 10,000 messages of the shapes newsletters come
//! in (multipart/alternative, quoted-printable HTML of about 8 KB with links and a
//! tracking pixel, a plain-text part, List-Id and List-Unsubscribe, 40 lists), through
//! `mail::read::read_all` into a real cache file. `import` is the first read of the
//! whole mailbox into an empty cache (target: under 5 s); `unchanged` is the next read,
//! with nothing new (target: milliseconds); `one_new` is a read with one new message.

use bulletin::config::Config;
use bulletin::store::Store;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::path::Path;
use std::time::Duration;

const MESSAGES: usize = 10_000;

fn message(i: usize) -> String {
    let list = i % 40;
    let mut html = String::new();
    for p in 0..24 {
        html.push_str(&format!(
            "<p>Item {p} of issue {i}: the advisory for appliance {p} asks for a patch out of cycle; \
             read <a href=3D\"https://list{list}.example/a/{i}/{p}\">the notice</a> before Friday=\r\n\
             s maintenance window.</p>\r\n"
        ));
    }
    format!(
        "From: \"List {list}\" <news@list{list}.example>\r\n\
To: reader@example.org\r\n\
Subject: =?UTF-8?Q?Weekly_brief_{i}_=E2=80=94_your_2-minute_read?=\r\n\
Date: Mon, {day:02} Nov 2026 08:{min:02}:00 +0000\r\n\
Message-ID: <issue{i}@list{list}.example>\r\n\
List-Id: List {list} <list{list}.example>\r\n\
List-Unsubscribe: <https://list{list}.example/unsub?u=3D{i}>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b{i}\"\r\n\
\r\n\
--b{i}\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
The plain version of issue {i}.\r\n\
--b{i}\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
<p><a href=3D\"https://list{list}.example/view/{i}\">View in your browser</a></p>\r\n\
{html}<img src=3D\"https://track.list{list}.example/o/{i}.gif\" width=3D\"1\" height=3D\"1\">\r\n\
--b{i}--\r\n",
        day = i % 28 + 1,
        min = i % 60
    )
}

fn maildir(dir: &Path) {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    for i in 0..MESSAGES {
        // A third read in a mail client already.
        let name = if i % 3 == 0 {
            format!("cur/17640{i:05}.M{i}P1.host:2,S")
        } else {
            format!("new/17640{i:05}.M{i}P1.host")
        };
        std::fs::write(dir.join(name), message(i)).unwrap();
    }
}

fn config(dir: &Path, mail: &Path) -> Config {
    let text = format!(
        "[general]\nrefresh_on_startup = false\n\n[[mailbox]]\nname = \"News\"\nmaildir = \"{}\"\n",
        mail.display()
    );
    Config::parse(&text, &dir.join("config.toml")).unwrap()
}

/// A cache file that goes when dropped (after the timing): 110 imports would fill the
/// disk otherwise.
struct Cache {
    store: Store,
    path: std::path::PathBuf,
}

impl Drop for Cache {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("Mail");
    maildir(&mail);
    let config = config(dir.path(), &mail);
    let mut group = c.benchmark_group("mail");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(40));
    let mut n = 0;
    group.bench_function("import_10000", |b| {
        b.iter_batched(
            || {
                n += 1;
                let path = dir.path().join(format!("import{n}.db"));
                Cache {
                    store: Store::open(&path).unwrap(),
                    path,
                }
            },
            |mut cache| {
                let read = bulletin::mail::read::read_all(&mut cache.store, &config, None);
                assert_eq!(read.new_items, MESSAGES);
                cache
            },
            BatchSize::PerIteration,
        )
    });
    let mut store = Store::open(&dir.path().join("warm.db")).unwrap();
    bulletin::mail::read::read_all(&mut store, &config, None);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("unchanged_10000", |b| {
        b.iter(|| {
            let read = bulletin::mail::read::read_all(&mut store, &config, None);
            assert_eq!(read.new_items, 0);
        })
    });
    let mut k = 0;
    group.bench_function("one_new_of_10001", |b| {
        b.iter(|| {
            k += 1;
            let name = mail.join(format!("new/1800000{k:05}.N.host"));
            std::fs::write(&name, message(MESSAGES + k)).unwrap();
            let read = bulletin::mail::read::read_all(&mut store, &config, None);
            assert_eq!(read.new_items, 1);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
