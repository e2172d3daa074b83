//! The licence fields of package manifests.
