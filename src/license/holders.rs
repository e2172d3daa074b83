//! Copyright holders and template placeholders in licence texts.
