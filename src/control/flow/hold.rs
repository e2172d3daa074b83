//! A record merged without the approval it needs: said once on its pull request, then waiting.

use super::apply::{ApplyOutcome, refuse};
use crate::approval;
use crate::control::{ControlRepository, PullEvidence};

/// A record on the base branch whose pull request does not authorise its publication (the approval decision
/// refused it): `apply` comments once on that pull request with the reason and what would let it through, and
/// reports it as waiting on later runs. The comment carries [`Hold::marker`], which names the record's text, the
/// pull request and the reason: the control repository itself remembers what was said, so a lost state, or
/// another machine, never comments twice, and a changed record or reason is judged afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub full_name: String,
    /// The record's path on the base branch.
    pub record_path: String,
    pub pull_request: u64,
    /// Why, as `apply` reports it: the approval decision's refusal and the pull request's address.
    pub reason: String,
    /// What would let it through.
    pub help: String,
    /// The hidden marker that opens the comment.
    pub marker: crate::untrusted::markdown::Marker,
}

impl Hold {
    /// The hold of the record `record_text` at `record_path`, refused by the approval decision (pure).
    pub fn new(
        full_name: &str,
        record_path: &str,
        record_text: &str,
        pull: &PullEvidence,
        refusal: &approval::ApprovalRefusal,
        required: u32,
    ) -> Hold {
        use sha2::{Digest, Sha256};
        let number = pull.facts.number;
        let reason = format!("{full_name}: {refusal} ({})", pull.url);
        let key = hex::encode(Sha256::digest(
            format!("{record_path}\0{record_text}\0{number}\0{reason}").as_bytes(),
        ));
        let rerun = "then run `apply` again (re-run the apply workflow)";
        let help = match refusal {
            approval::ApprovalRefusal::TooFewApprovals { .. } => format!(
                "an approving review of this pull request by {required} maintainer(s) other than its author \
                 (GitHub takes a review of a merged pull request), {rerun}"
            ),
            approval::ApprovalRefusal::ChangesRequested { logins, .. } => format!(
                "the maintainer(s) who asked for changes ({}) approve this pull request, or their reviews are \
                 dismissed, {rerun}",
                logins
                    .iter()
                    .map(|l| format!("@{l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            approval::ApprovalRefusal::NotMerged { .. } => format!(
                "the record reached the base branch without this pull request being merged: have maintainers \
                 approve it and merge it, {rerun}"
            ),
            approval::ApprovalRefusal::WrongBranch { .. } => {
                "remove the record from the base branch and run `propose` again".to_owned()
            }
        };
        Hold {
            full_name: full_name.to_owned(),
            record_path: record_path.to_owned(),
            pull_request: number,
            reason,
            help,
            marker: crate::untrusted::markdown::Marker::new("held", &key),
        }
    }

    /// The comment on the pull request (pure). The marker opens it; the repository's name, the record's path
    /// and the reason are untrusted text, and no login in it is a live mention.
    pub fn comment(&self) -> String {
        use crate::untrusted::markdown as md;
        format!(
            "{}\n**keepopen did not publish {}.** The record {} is on the base branch, but this pull request does \
             not authorise its publication:\n\n> {}\n\nTo publish it: {}.\n\nUntil then `apply` reports the \
             record as waiting, with a warning that does not fail the workflow, and does not comment again; a \
             change to the record is judged afresh. To decline the republication instead, remove the record from \
             the base branch.\n",
            self.marker,
            md::text(&self.full_name),
            md::code(&self.record_path),
            md::text(&self.reason),
            // keepopen's own words, with backticks meant as code; the logins in them are GitHub's.
            self.help.replace('@', "@\u{200B}")
        )
    }
}

/// Say on its pull request, once, why the record is held: the first time a refusal (an error), after that
/// [`ApplyOutcome::Waiting`].
pub(super) async fn hold<C: ControlRepository>(
    control: &C,
    hold: Hold,
) -> anyhow::Result<ApplyOutcome> {
    // Only keepopen's own comment counts: the marker is computed from public text, so anyone could write it.
    let me = control.identity().await?;
    let said = control
        .comments(hold.pull_request)
        .await?
        .iter()
        .any(|c| c.author.eq_ignore_ascii_case(&me) && hold.marker.opens(&c.body));
    if said {
        return Ok(ApplyOutcome::Waiting {
            pull_request: hold.pull_request,
            reason: format!(
                "{}; waiting for {} (said on pull request #{})",
                hold.reason, hold.help, hold.pull_request
            ),
        });
    }
    control.comment(hold.pull_request, &hold.comment()).await?;
    Err(refuse(format!(
        "{}; said so on pull request #{}: to publish it, {}",
        hold.reason, hold.pull_request, hold.help
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pull(number: u64) -> PullEvidence {
        PullEvidence {
            facts: approval::PullFacts {
                number,
                author: "keepopen-bot".into(),
                merged: true,
                head_branch: "keepopen/nhsuk/frontend".into(),
            },
            url: format!("https://github.com/o/c/pull/{number}"),
            reviews: vec![],
            record_text: None,
        }
    }

    #[test]
    fn a_hold_is_keyed_by_the_record_text_the_pull_request_and_the_reason() {
        let too_few = approval::ApprovalRefusal::TooFewApprovals {
            number: 1,
            required: 1,
            counted: 0,
            ignored: vec!["@mallory is not a maintainer".into()],
        };
        let path = "republications/nhsuk/frontend.yaml";
        let hold = |text: &str, number: u64, refusal: &approval::ApprovalRefusal| {
            Hold::new("nhsuk/frontend", path, text, &pull(number), refusal, 1)
        };
        let first = hold("a", 1, &too_few);
        assert_eq!(
            first,
            hold("a", 1, &too_few),
            "the same hold, the same marker"
        );
        let marker = first.marker.as_str();
        assert!(marker.starts_with("<!-- keepopen:held ") && marker.ends_with(" -->"));
        let changes = approval::ApprovalRefusal::ChangesRequested {
            number: 1,
            logins: vec!["alice".into()],
        };
        for (what, other) in [
            ("another record text", hold("b", 1, &too_few)),
            ("another pull request", hold("a", 2, &too_few)),
            ("another reason", hold("a", 1, &changes)),
        ] {
            assert_ne!(first.marker, other.marker, "{what}");
        }
        assert!(
            first.reason.contains("@mallory is not a maintainer")
                && first.reason.ends_with("(https://github.com/o/c/pull/1)"),
            "{}",
            first.reason
        );
        assert!(first.help.contains("approving review"), "{}", first.help);
        assert!(hold("a", 1, &changes).help.contains("@alice"));
        let comment = first.comment();
        assert!(comment.starts_with(first.marker.as_str()), "{comment}");
        assert!(
            comment.contains("@\u{200B}mallory is not a maintainer")
                && !comment.contains("@mallory"),
            "a login in a comment is no live mention: {comment}"
        );
        for needle in [
            "keepopen did not publish nhsuk/frontend",
            path,
            "To publish it: an approving review",
            "then run `apply` again",
            "does not comment again",
        ] {
            assert!(comment.contains(needle), "{needle:?} not in {comment}");
        }
    }
}
