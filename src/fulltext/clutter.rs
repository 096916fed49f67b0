//! What Readability keeps that a reader does not want, taken away before extraction
//! (Readability drops the classes that would tell it afterwards): the line numbers
//! beside code, as Pygments, Rouge and GitHub lay them out (a column of their own, or a
//! number before each line).

use dom_query::Document;

/// Line-number gutters (a table's cell) and the numbers before each line of code (a
/// span), by the classes the reader's tables know them by.
pub fn remove(doc: &Document) {
    for node in doc.select("td[class], span[class]").nodes() {
        if node
            .attr("class")
            .is_some_and(|c| crate::render::tables::is_gutter_class(&c))
        {
            node.remove_from_parent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_go_and_the_code_stays() {
        let doc = Document::from(
            r#"<table class="highlighttable"><tr><td class="linenos"><pre>1
2</pre></td><td class="code"><pre>a = 1
b = 2</pre></td></tr></table><pre><span class="linenos">3</span>import csv</pre>
<table class="rouge-table"><tr><td class="rouge-gutter gl"><pre>1</pre></td><td class="rouge-code"><pre>x</pre></td></tr></table>"#,
        );
        remove(&doc);
        let text = doc.select("body").text().to_string();
        assert!(text.contains("a = 1") && text.contains("import csv") && text.contains('x'));
        let numbers_only =
            |l: &str| !l.trim().is_empty() && l.trim().bytes().all(|b| b.is_ascii_digit());
        assert!(!text.lines().any(numbers_only), "{text}");
        assert!(!text.contains("3import"), "{text}");
    }
}
