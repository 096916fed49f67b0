//! Pictures in the reader, end to end: the real binary in tmux with `[reader] images =
//! "halfblocks"` (tmux passes no image protocol through, half-blocks are plain cells),
//! an article whose picture is served on loopback: it is drawn in the rows kept under its
//! placeholder, fetched once (then from the disk cache), and a picture too large to
//! decode leaves its placeholder.

mod support;

use std::time::Duration;
use support::tmux::Tmux;
use support::{Env, Server};

/// A PNG: red above, blue below (half-blocks draw it as "▀" in red on blue).
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(200, 120, |_, y| {
        if y < 60 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 30, 220])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn a_picture_is_drawn_where_the_article_has_it() {
    let server = Server::start();
    server.fixed("/pic.png", "image/png", png());
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pics</title><link>https://pics.example/</link>\
         <item><title>With a chart</title><guid>c1</guid><link>https://pics.example/1</link>\
         <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate>\
         <description>&lt;p&gt;Before the chart.&lt;/p&gt;&lt;img src=\"{}\" alt=\"Incidents by week\"&gt;&lt;p&gt;After the chart.&lt;/p&gt;</description></item>\
         </channel></rss>",
        server.url("/pic.png")
    );
    server.fixed("/feed", "application/rss+xml", feed);
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[reader]\nimages = \"halfblocks\"\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    // With colours: half-blocks need them.
    tmux.start_with(&env, &[]);
    tmux.wait_for("All unread (1)");
    tmux.keys(&["Tab", "Enter"]);
    let screen = tmux.wait_for("▀");
    // The placeholder keeps its line, the picture is under it, and the text after it
    // comes after the rows kept for the picture (here, below the pane's end).
    let lines: Vec<&str> = screen.lines().collect();
    let at = |s: &str| lines.iter().position(|l| l.contains(s));
    let placeholder = at("[image: Incidents by week]").expect("the placeholder");
    let picture = at("▀").unwrap();
    assert!(
        placeholder < picture && picture <= placeholder + 12,
        "{screen}"
    );
    assert!(
        at("After the chart.").is_none_or(|after| after > placeholder + 12),
        "{screen}"
    );
    assert_eq!(server.requests_to("/pic.png").len(), 1);
    // Opened again: drawn from the disk cache, not fetched again.
    tmux.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(500));
    tmux.wait_for("▀");
    assert_eq!(server.requests_to("/pic.png").len(), 1);
    assert!(env.data_dir().join("images").read_dir().unwrap().count() == 1);
    tmux.keys(&["q", "q", "q"]);
    tmux.wait_exit();
}
