//! The gate: what in a report blocks publication, and the verdict with that applied.

use super::{SafetyFinding, SafetyReport};
use crate::verdict::Verdict;

impl SafetyReport {
    /// Nothing blocks publication: no finding, a complete scan, every object read.
    pub fn is_clean(&self) -> bool {
        self.blocking_reasons().is_empty()
    }

    /// Why a person must look before publication, one line each, masked, naming file, commit and rule. An
    /// incomplete scan and unreadable objects are reasons too: what was not read is not vouched for.
    pub fn blocking_reasons(&self) -> Vec<String> {
        let mut reasons: Vec<String> = self.findings.iter().map(SafetyFinding::summary).collect();
        if self.incomplete {
            reasons.push(format!(
                "the history scan is incomplete: {}",
                self.incomplete_reason
                    .as_deref()
                    .unwrap_or("it stopped early")
            ));
        }
        if !self.unreadable.is_empty() {
            let more = if self.unreadable.len() > 1 {
                format!(" (and {} more)", self.unreadable.len() - 1)
            } else {
                String::new()
            };
            reasons.push(format!(
                "the history scan could not read everything: {}{more}",
                self.unreadable[0]
            ));
        }
        reasons
    }
}

/// The verdict with the gate applied: an Allowed verdict becomes NeedsReview with the report's blocking reasons
/// (each prefixed `sensitive content: `); a NeedsReview verdict gains them; Forbidden stays as it is. A clean
/// report changes nothing. Pure: the caller scans, this decides.
pub fn gate_verdict(verdict: Verdict, report: &SafetyReport) -> Verdict {
    let found: Vec<String> = report
        .blocking_reasons()
        .into_iter()
        .map(|r| format!("sensitive content: {r}"))
        .collect();
    if found.is_empty() {
        return verdict;
    }
    match verdict {
        Verdict::Allowed { conditions } => Verdict::NeedsReview {
            reasons: found,
            conditions,
        },
        Verdict::NeedsReview {
            mut reasons,
            conditions,
        } => {
            reasons.extend(found);
            Verdict::NeedsReview {
                reasons,
                conditions,
            }
        }
        forbidden @ Verdict::Forbidden { .. } => forbidden,
    }
}
