//! The sensitive-content gate before publication, on exactly the refs that will be pushed.

use super::*;

/// The sensitive-content gate: every blob reachable from the refs that will be pushed (and the archived wiki,
/// pushed beside it), with the allow-list and overrides of the `safety:` settings the repository was evaluated
/// under; what they do not waive refuses the publication. The evaluation's own scan is the report when it read
/// exactly these tips (the usual case: the evaluation read the refs that are pushed); otherwise those tips are
/// scanned, through the scan cache. It blocks on the same [`crate::safety::SafetyReport::blocking_reasons`] that
/// gate the evaluation's verdict ([`crate::safety::gate_verdict`]). The notice commit is ours and is not
/// scanned. Blocking; writes nothing but the scan cache.
pub(super) fn safety_gate(
    request: &Request,
    evaluation: &Evaluation,
    refs: &BTreeMap<String, String>,
    cache: &crate::check::ScanCache,
) -> anyhow::Result<crate::safety::SafetyReport> {
    let repo_name = &request.record.full_name;
    let config = &evaluation.safety_config;
    let (report, cached) = if evaluation.scanned == *refs {
        (evaluation.safety.clone(), true)
    } else {
        let mirror = git2::Repository::open_bare(&request.mirror).with_context(|| {
            format!(
                "{repo_name}: cannot open the mirror {}",
                request.mirror.display()
            )
        })?;
        cache
            .scan_tips(&mirror, repo_name, refs, config)
            .with_context(|| format!("{repo_name}: cannot scan the mirror"))?
    };
    let mut reasons = Vec::new();
    let mut fingerprints = Vec::new();
    let mut add = |prefix: &str, report: &crate::safety::SafetyReport| {
        for finding in &report.findings {
            reasons.push(format!(
                "{prefix}{}; fingerprint {}",
                finding.summary(),
                finding.fingerprint
            ));
            fingerprints.push(finding.fingerprint.clone());
        }
        let rest = report.blocking_reasons();
        reasons.extend(
            rest.into_iter()
                .skip(report.findings.len())
                .map(|r| format!("{prefix}{r}")),
        );
    };
    add("", &report);
    if let Some(wiki) = wiki_mirror(request) {
        let wiki_report = crate::safety::scan_path(&wiki, repo_name, config)
            .with_context(|| format!("{repo_name}: cannot scan the archived wiki"))?;
        add("wiki: ", &wiki_report);
    }
    tracing::debug!(
        repo = %repo_name,
        blobs = report.blobs_scanned,
        bytes = report.bytes_scanned,
        waived = report.allowed.len(),
        blocking = reasons.len(),
        cached,
        "safety gate"
    );
    if reasons.is_empty() {
        return Ok(report);
    }
    Err(Refusal::SensitiveContent {
        repo: repo_name.clone(),
        reasons,
        fingerprints,
    }
    .into())
}
