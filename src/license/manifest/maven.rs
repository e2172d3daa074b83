//! pom.xml: `<project><licenses><license><name>/<url>`.

use super::*;

/// pom.xml: `<project><licenses><license><name>/<url>`. Maven reads several licences as a choice.
pub(super) fn from_pom(text: &str) -> Found {
    let document = match roxmltree::Document::parse(text) {
        Ok(document) => document,
        Err(error) => return xml_by_pattern(text, "name", &error),
    };
    let root = document.root_element();
    let licenses: Vec<_> = root
        .children()
        .filter(|n| {
            n.has_tag_name(("http://maven.apache.org/POM/4.0.0", "licenses"))
                || n.tag_name().name() == "licenses"
        })
        .flat_map(|n| {
            n.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "license")
        })
        .collect();
    let several = licenses.len() > 1;
    let mut found = Vec::new();
    for license in licenses {
        let child = |name: &str| {
            license
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
        };
        let name = child("name");
        let url = child("url");
        let name_text = name.map(xml_text).filter(|t| !t.is_empty());
        let url_text = url.map(xml_text).filter(|t| !t.is_empty());
        let mut mapping = name_text
            .as_deref()
            .map(license_from_name)
            .unwrap_or_default();
        if mapping.expression.is_none()
            && let Some(url_text) = &url_text
        {
            let by_url = license_from_url(url_text);
            if by_url.expression.is_some() {
                mapping = by_url.with_note("read from the licence URL");
            }
        }
        if several {
            mapping = mapping
                .with_note("one of several <license> entries: Maven reads them as a choice (OR)");
        }
        let Some(raw) = name_text.or(url_text) else {
            continue;
        };
        let line = xml_line(&document, name.or(url).unwrap_or(license));
        found.push(declared(&raw, line, mapping));
    }
    found
}
