//! Full-text extraction of a big page: about 500 KB of the shapes a news site sends (an
//! inline script and style, a navigation of hundreds of links, the article with its
//! figures, a sidebar, hundreds of comments, a footer), through `fulltext::extract`
//! (charset, lazy images, Readability). The target is a median under 30 ms.

use criterion::{criterion_group, criterion_main, Criterion};

fn page() -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A long report | Harbour Weekly</title>\
         <meta property=\"og:site_name\" content=\"Harbour Weekly\">",
    );
    s.push_str("<script>var config = {");
    for i in 0..4000 {
        s.push_str(&format!(
            "\"key{i}\": \"value number {i} for the tracker\", "
        ));
    }
    s.push_str("};</script><style>");
    for i in 0..800 {
        s.push_str(&format!(
            ".c{i} {{ margin: {i}px; color: #{:06x} }}\n",
            i * 997
        ));
    }
    s.push_str("</style></head><body><header><nav><ul>");
    for i in 0..600 {
        s.push_str(&format!(
            "<li><a href=\"/section/{i}\">Section {i}</a></li>"
        ));
    }
    s.push_str("</ul></nav></header><main><article><h1>A long report</h1><p class=\"byline\">By Dana Okafor</p>");
    for i in 0..120 {
        s.push_str(&format!(
            "<p>Paragraph {i} of the report says what the patch window brought this quarter, \
             which appliances were affected, and why the <a href=\"/advisory/{i}\">advisory {i}</a> \
             asks for action out of cycle rather than at the next maintenance weekend.</p>"
        ));
        if i % 20 == 0 {
            s.push_str(&format!(
                "<figure><img src=\"data:image/gif;base64,R0lGOD\" data-src=\"/img/{i}.jpg\" alt=\"figure {i}\"><figcaption>Figure {i}</figcaption></figure>"
            ));
        }
    }
    s.push_str("</article><section class=\"comments\">");
    for i in 0..1900 {
        s.push_str(&format!(
            "<div class=\"comment\"><span class=\"author\">reader{i}</span><p>Comment {i}: we patched on Tuesday.</p></div>"
        ));
    }
    s.push_str("</section></main><aside class=\"sidebar\"><ul>");
    for i in 0..500 {
        s.push_str(&format!(
            "<li><a href=\"/popular/{i}\">Popular story {i}</a></li>"
        ));
    }
    s.push_str("</ul></aside><footer><p>Copyright</p></footer></body></html>");
    s
}

fn bench(c: &mut Criterion) {
    let html = page();
    eprintln!("page: {} KB", html.len() / 1024);
    let mut g = c.benchmark_group("fulltext");
    g.sample_size(30);
    g.bench_function("extract_500kb_page", |b| {
        b.iter(|| {
            let a = bulletin::fulltext::extract(
                html.as_bytes(),
                Some("text/html; charset=utf-8"),
                "https://harbour.example/report",
            )
            .unwrap();
            assert!(a.html.contains("Paragraph 119"));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
