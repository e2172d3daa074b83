//! pyproject.toml: PEP 621, Poetry and the `License ::` classifiers.

use super::*;

pub(super) fn from_pyproject(text: &str) -> Found {
    let wanted = |path: &str| {
        matches!(
            path,
            "project.license"
                | "project.license.text"
                | "project.license.file"
                | "project.classifiers"
                | "tool.poetry.license"
                | "tool.poetry.classifiers"
        )
    };
    let mut found = Vec::new();
    for field in toml_fields(text, &wanted) {
        match field.path.as_str() {
            "project.license" | "tool.poetry.license" => found.extend(toml_license(&field)),
            "project.license.text" | "project.license.file" => {
                let key = if field.path.ends_with("text") {
                    "text"
                } else {
                    "file"
                };
                let mut table = toml::Table::new();
                table.insert(key.to_owned(), field.value.clone());
                let as_table = TomlField {
                    path: field.path.clone(),
                    value: toml::Value::Table(table),
                    line: field.line,
                };
                found.extend(toml_license(&as_table));
            }
            _ => found.extend(toml_classifiers(text, &field)),
        }
    }
    with_defect(found, toml_defect(text))
}
