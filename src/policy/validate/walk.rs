//! Step 2: walk the YAML value along the schema into a `RawPolicy`, reporting each unknown key and each value
//! of the wrong type or spelling, and carrying on past it.

use super::*;

impl Checker<'_> {
    pub(super) fn bad_type(&mut self, path: &[Segment], expected: &str, found: &Value) {
        let message = format!(
            "`{}` must be {expected}, found {}",
            DisplayPath(path),
            describe(found)
        );
        let help = match found {
            Value::Number(_) if expected == "a string" => {
                Some("put the value in quotes so that YAML reads it as text".to_owned())
            }
            _ => None,
        };
        self.report(Code::BadType, path, Target::Value, message, help);
    }

    /// The entries of a mapping with string keys; reports the others. `None` (reported) if not a mapping.
    pub(super) fn entries<'v>(
        &mut self,
        value: &'v Value,
        path: &[Segment],
    ) -> Option<Vec<(String, &'v Value)>> {
        let Value::Mapping(mapping) = value else {
            self.bad_type(path, "a mapping", value);
            return None;
        };
        let mut entries = Vec::with_capacity(mapping.len());
        for (key, value) in mapping {
            match key {
                Value::String(name) => entries.push((name.clone(), value)),
                other => {
                    let message = format!("keys must be strings, found {}", describe(other));
                    match key_text(other) {
                        Some(text) => self.report(
                            Code::BadType,
                            &child(path, text.as_str()),
                            Target::Key,
                            message,
                            None,
                        ),
                        None => self.report(Code::BadType, path, Target::Value, message, None),
                    }
                }
            }
        }
        Some(entries)
    }

    /// True once the cap is reached: the caller skips composing a diagnostic that would only be counted.
    pub(super) fn count_if_full(&mut self, path: &[Segment]) -> bool {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            return false;
        }
        self.reported.insert(DisplayPath(path).to_string());
        self.dropped += 1;
        true
    }

    pub(super) fn unknown_key(&mut self, path: &[Segment], key: &str, known: &[&str]) {
        if self.count_if_full(path) {
            return;
        }
        let place = match path.len() {
            0 | 1 => String::new(),
            n => format!(" in `{}`", DisplayPath(&path[..n - 1])),
        };
        let help = match closest(key, known.iter().copied()) {
            Some(near) => {
                // A misspelt required key is reported once, not again as missing.
                if let Some((_, parent)) = path.split_last() {
                    self.reported
                        .insert(DisplayPath(&child(parent, near)).to_string());
                }
                format!("did you mean '{near}'?")
            }
            None => format!("expected one of: {}", known.join(", ")),
        };
        self.report(
            Code::UnknownKey,
            path,
            Target::Key,
            format!("unknown key '{key}'{place}"),
            Some(help),
        );
    }

    pub(super) fn leaf<T: for<'de> Deserialize<'de>>(
        &mut self,
        value: &Value,
        path: &[Segment],
        expected: &str,
    ) -> Option<T> {
        match T::deserialize(value) {
            Ok(leaf) => Some(leaf),
            Err(_) => {
                self.bad_type(path, expected, value);
                None
            }
        }
    }

    pub(super) fn string(&mut self, value: &Value, path: &[Segment]) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => {
                self.bad_type(path, "a string", other);
                None
            }
        }
    }

    pub(super) fn action(&mut self, value: &Value, path: &[Segment]) -> Option<Action> {
        let names = Action::ALL.map(Action::as_str);
        let Value::String(name) = value else {
            self.bad_type(path, &format!("one of {}", names.join(", ")), value);
            return None;
        };
        if let Some(action) = Action::from_name(name) {
            return Some(action);
        }
        let help = match closest(name, names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("expected one of: {}", names.join(", ")),
        };
        self.report(
            Code::UnknownAction,
            path,
            Target::Value,
            format!("unknown action '{name}'"),
            Some(help),
        );
        None
    }

    pub(super) fn class(
        &mut self,
        value: &Value,
        path: &[Segment],
        target: Target,
    ) -> Option<Class> {
        let names = Class::ALL.map(Class::as_str);
        let Value::String(name) = value else {
            self.bad_type(path, "a licence class", value);
            return None;
        };
        if let Some(class) = Class::from_name(name) {
            return Some(class);
        }
        let help = match closest(name, names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("classes are: {}", names.join(", ")),
        };
        self.report(
            Code::UnknownClass,
            path,
            target,
            format!("unknown licence class '{name}'"),
            Some(help),
        );
        None
    }

    pub(super) fn walk(&mut self, root: &Value) -> RawPolicy {
        let mut raw = RawPolicy::default();
        let Some(entries) = self.entries(root, &[]) else {
            return raw;
        };
        for (key, value) in entries {
            let path = vec![Segment::Key(key.clone())];
            match key.as_str() {
                "version" => {
                    raw.version = self.leaf::<u64>(value, &path, "a whole number such as 1")
                }
                "licenses" => raw.licenses = self.licenses(value, &path),
                "clarifications" => raw.clarifications = self.clarifications(value, &path),
                other => {
                    if value.is_null() && RESERVED_SECTIONS.contains(&other) {
                        continue;
                    }
                    if !raw.set_section(other, value.clone()) {
                        self.unknown_key(&path, other, fields_of::<RawPolicy>());
                    }
                }
            }
        }
        raw
    }

    pub(super) fn licenses(&mut self, value: &Value, path: &[Segment]) -> Option<RawLicenses> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut licenses = RawLicenses::default();
        for (key, value) in entries {
            let path = child(path, key.as_str());
            match key.as_str() {
                "min-confidence" => {
                    licenses.min_confidence =
                        self.leaf::<f64>(value, &path, "a number between 0 and 1")
                }
                "classes" => licenses.classes = self.classes(value, &path),
                "unknown" => licenses.unknown = self.action(value, &path),
                "overrides" => licenses.overrides = self.overrides(value, &path),
                other => self.unknown_key(&path, other, fields_of::<RawLicenses>()),
            }
        }
        Some(licenses)
    }

    pub(super) fn classes(&mut self, value: &Value, path: &[Segment]) -> Option<RawClasses> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut classes = RawClasses::default();
        for (key, value) in entries {
            let path = child(path, key.as_str());
            match Class::from_name(&key) {
                Some(class) => {
                    if let Some(action) = self.action(value, &path) {
                        classes.set(class, action);
                    }
                }
                None => {
                    self.class(&Value::String(key), &path, Target::Key);
                }
            }
        }
        Some(classes)
    }

    pub(super) fn overrides(
        &mut self,
        value: &Value,
        path: &[Segment],
    ) -> Option<BTreeMap<String, Class>> {
        if value.is_null() {
            return None;
        }
        let entries = self.entries(value, path)?;
        let mut overrides = BTreeMap::new();
        for (id, value) in entries {
            let path = child(path, id.as_str());
            if let Some(class) = self.class(value, &path, Target::Value) {
                overrides.insert(id, class);
            }
        }
        Some(overrides)
    }

    pub(super) fn clarifications(
        &mut self,
        value: &Value,
        path: &[Segment],
    ) -> Option<Vec<RawClarification>> {
        let items = match value {
            Value::Null => return None,
            Value::Sequence(items) => items,
            other => {
                self.bad_type(path, "a list of clarifications", other);
                return None;
            }
        };
        let mut clarifications = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = child(path, index);
            let mut clarification = RawClarification::default();
            for (key, value) in self.entries(item, &path).unwrap_or_default() {
                let path = child(&path, key.as_str());
                match key.as_str() {
                    "repo" => clarification.repo = self.string(value, &path),
                    "expression" => clarification.expression = self.string(value, &path),
                    "reason" => clarification.reason = self.string(value, &path),
                    "files" => clarification.files = self.files(value, &path),
                    other => self.unknown_key(&path, other, fields_of::<RawClarification>()),
                }
            }
            clarifications.push(clarification);
        }
        Some(clarifications)
    }

    pub(super) fn files(&mut self, value: &Value, path: &[Segment]) -> Option<Vec<RawFile>> {
        if value.is_null() {
            return None;
        }
        let Value::Sequence(items) = value else {
            self.bad_type(
                path,
                "a list of files, each with `path` and `sha256`",
                value,
            );
            return None;
        };
        let mut files = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = child(path, index);
            let mut file = RawFile::default();
            for (key, value) in self.entries(item, &path).unwrap_or_default() {
                let path = child(&path, key.as_str());
                match key.as_str() {
                    "path" => file.path = self.string(value, &path),
                    "sha256" => file.sha256 = self.string(value, &path),
                    other => self.unknown_key(&path, other, fields_of::<RawFile>()),
                }
            }
            files.push(file);
        }
        Some(files)
    }
}
