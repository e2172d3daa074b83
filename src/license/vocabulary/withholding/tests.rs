//! The withholding grammar's tests: the red team's sentences, the false alarms measured on real repositories
//! (rewritten in our own words), and two generated properties over work × operator × act.

use super::*;

/// References to the work: deictic, possessive, part-of and defined-term noun phrases.
const WORK: &[&str] = &[
    "this repository",
    "this repo",
    "this code",
    "the code in this repository",
    "this codebase",
    "this source code",
    "the source code of this project",
    "this software",
    "this Software",
    "the Software",
    "this project",
    "this work",
    "the Work",
    "these materials",
    "this material",
    "these files",
    "this file",
    "this document",
    "this documentation",
    "the contents of this repository",
    "this content",
    "this data",
    "this dataset",
    "this library",
    "this package",
    "this program",
    "this product",
    "our code",
    "the present work",
    "any part of this repository",
    "copies of this software",
    "these design files",
];

/// Things that are never the work.
const NOT_WORK: &[&str] = &[
    "your password",
    "the cache",
    "them",
    "personal data",
    "your API key",
    "your Government Gateway user ID and password",
    "the secrets",
    "cookies",
    "the service",
    "others' private information",
    "this security information",
    "the data about how you use this site",
    "your account",
];

/// Acts of copying: (base, participle, noun).
const COPY: &[(&str, &str, &str)] = &[
    ("copy", "copied", "copying"),
    ("share", "shared", "sharing"),
    ("fork", "forked", "forking"),
    ("mirror", "mirrored", "mirroring"),
    ("publish", "published", "publication"),
    ("release", "released", "release"),
    ("reproduce", "reproduced", "reproduction"),
    ("redistribute", "redistributed", "redistribution"),
    ("distribute", "distributed", "distribution"),
    ("disclose", "disclosed", "disclosure"),
    ("sell", "sold", "sale"),
    ("reuse", "reused", "reuse"),
    (
        "copy, modify or distribute",
        "copied, modified or distributed",
        "copying or distribution",
    ),
];

/// The sentences an operator makes of a work (or non-work) phrase and an act of copying.
fn copy_sentences(np: &str, (base, participle, noun): (&str, &str, &str)) -> Vec<String> {
    let capital = |s: &str| {
        let mut c = s.to_owned();
        c[..1].make_ascii_uppercase();
        c
    };
    let plural =
        np.starts_with("these") || np.starts_with("copies") || np == "them" || np == "cookies";
    let be = if plural { "are" } else { "is" };
    let subject = capital(np);
    vec![
        format!("{subject} must not be {participle}."),
        format!(
            "{subject} may not be {participle} without the prior written permission of Acme Ltd."
        ),
        format!("{subject} shall not be {participle} outside Acme."),
        format!("{subject} cannot be {participle} or sold."),
        format!(
            "{subject} {be} confidential and must not be {participle} outside Acme Digital Ltd."
        ),
        format!("Do not {base} {np}."),
        format!("Please do not {base} {np} outside the team."),
        format!("Never {base} {np}."),
        format!("You must not {base} {np}."),
        format!("You may not {base} {np} without permission."),
        format!("Note: you agree not to {base} {np}."),
        format!("It is strictly prohibited to {base} {np}."),
        format!("{} of {np} is strictly prohibited.", capital(noun)),
        format!("Any {noun} of {np} is not permitted."),
        format!(
            "{} of {np} requires the written consent of Acme Ltd.",
            capital(noun)
        ),
        format!("Permission is required to {base} {np}."),
        format!("You need written permission from Acme to {base} {np}."),
        format!("Only employees of Acme may {base} {np}."),
        format!("{subject} may only be {participle} within Acme."),
    ]
}

/// The sentences restricting a use of the work to a party or purpose.
fn use_sentences(np: &str) -> Vec<String> {
    let mut subject = np.to_owned();
    subject[..1].make_ascii_uppercase();
    vec![
        format!("{subject} must not be used outside Acme."),
        format!("{subject} may not be used for commercial purposes."),
        format!("{subject} may be used for non-commercial purposes only."),
        format!("Do not use {np} without permission from Acme."),
        format!("Only staff of Acme may use {np}."),
        format!("Use of {np} is prohibited."),
        format!("{subject} is provided for evaluation purposes only."),
        format!("{subject} is for internal Acme use only."),
        format!("{subject} is licensed for internal use only."),
    ]
}

#[test]
fn every_generated_work_operator_act_sentence_withholds() {
    let mut missed = Vec::new();
    for np in WORK {
        let mut all: Vec<String> = COPY
            .iter()
            .flat_map(|act| copy_sentences(np, *act))
            .collect();
        all.extend(use_sentences(np));
        for s in all {
            if !withholds(&s) {
                missed.push(s);
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} missed:\n{}",
        missed.len(),
        missed.join("\n")
    );
}

#[test]
fn the_same_sentences_about_what_is_never_the_work_withhold_nothing() {
    let mut found = Vec::new();
    for np in NOT_WORK {
        let mut all: Vec<String> = COPY
            .iter()
            .flat_map(|act| copy_sentences(np, *act))
            .collect();
        all.extend(use_sentences(np));
        for s in all {
            if let Some(kind) = withholding_kind(&s) {
                found.push(format!("{s} [{kind}]"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} found:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn red_team_sentences_withhold() {
    for s in [
        "Not for redistribution.",
        "For internal Acme use only.",
        "For internal use only.",
        "Internal use only",
        "Not for public release.",
        "This repository is confidential and must not be shared outside Acme Digital Ltd.",
        "Do not fork or mirror this repository.",
        "Only employees of Acme may use this software.",
        "Not for reuse.",
        "Reuse of this code requires a signed agreement with Acme Digital Ltd.",
        "This code is provided for evaluation purposes only.",
        "OFFICIAL-SENSITIVE",
        "This work may be used for non-commercial purposes only.",
        "No part of this repository may be reproduced without the prior consent of the copyright owner.",
        "Copying is permitted only within the UK public sector.",
        "Redistribution forbidden.",
        "Reproduction prohibited.",
        "This document contains proprietary and confidential information belonging to Acme Property.",
        "All other use, reproduction, modification or distribution of these files is strictly prohibited.",
        "This Software may not be redistributed.",
        "The code in this repository must not be copied outside the NHS.",
        "The Information is licensed for internal NHS use only.",
        "These materials may be used for research purposes only.",
        "Any copy of the Work requires a signed agreement with NHS England before reuse.",
        "The contents of this project stay the property of the Department and are shared in confidence.",
        "This Software cannot be sold or shared with third parties.",
        "These materials are available to NHS staff alone.",
        "Except that this Software is lent to you, not given.",
        "Notwithstanding the above, the Information must be returned on request.",
        "Do not distribute.",
        "COMMERCIAL IN CONFIDENCE",
        "For internal use only, do not share.",
        "Not for redistribution without the permission of Acme.",
        "This software requires a commercial licence from Acme.",
    ] {
        assert!(withholds(s), "{s}");
    }
}

/// The classes of false alarm measured on real repositories, in our own words: the subject or object of the
/// withheld act is not the work, or no operator governs the act.
#[test]
fn sentences_whose_act_is_not_on_the_work_withhold_nothing() {
    for s in [
        "We do not need to ask your permission to set them.",
        "Do not share your login name and password with anybody.",
        "The cache will not be shared between instances of the app.",
        "This change does not add support for publishing reports.",
        "Making manual changes that bypass the pipelines is strictly prohibited.",
        "Posting other people's private information without their explicit permission is not acceptable.",
        "That library does not work well with shallow copies of the request.",
        "Items of this kind were prohibited from sale at the time.",
        "Merging to the main branch does not publish anything.",
        "A new package cannot be published by the release workflow on its first run.",
        "Do not copy the weaker date type used by the old integration.",
        "This code must not be used in production.",
        "Do not use this in production.",
        "Do not commit secrets to the repository.",
        "Never share your API key.",
        "Do not edit this file: it is generated.",
        "DO NOT MODIFY THIS FILE MANUALLY.",
        "This package is not published yet.",
        "You should not use the master branch.",
        "Licensed under the Apache License, Version 2.0; you may not use this file except in compliance with the License.",
        "Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
        "Clone the repository and run make.",
        "Do not share personal data in issues.",
        "The service is only available to NHS staff.",
        "The API is for internal use only.",
        "For illustration purposes only.",
        "Not for production use.",
        "Two payment engines that do not share code.",
        "We do not allow analytics providers to use or share the data about how you use this site.",
        "This repository uses a cache that must not be shared.",
        "The release plan will be shared with the product owner.",
        "Official statistics",
        "Google is not allowed to use or share our analytics data with anyone.",
        "The code in this repository is for the widget partner service.",
        "This document is for design system developers who need to publish a support branch.",
        "THIS DOCKER FILE IS INTENDED FOR DEVELOPERS TO USE LOCALLY ONLY WHILE DEVELOPING.",
        "For internal use only - issue template for release tasks",
        "This source file is subject to the new BSD license that is bundled with this package.",
        "You may not sublicense the Work.",
        "Permission is granted by the author to use this software for any application provided this notice is kept.",
        "Permission is granted to anyone to use this software for any purpose, subject to the following restrictions:",
        "This page can only be accessed by your client.",
        "These templates can be uploaded to the web console or, if you have the command line tools installed, you can use the deployment scripts in this directory.",
        "If they ask for their record, the data protection team will decide whether the information can be shared.",
    ] {
        assert!(!withholds(s), "{s}: {:?}", withholding_kind(s));
    }
}

#[test]
fn a_protective_marking_is_the_line_alone() {
    for line in [
        "OFFICIAL-SENSITIVE",
        "OFFICIAL SENSITIVE",
        "Classification: OFFICIAL-SENSITIVE",
        "COMMERCIAL IN CONFIDENCE",
        "Private and Confidential",
        "**CONFIDENTIAL**",
        "SECRET",
    ] {
        assert!(is_marking(line), "{line}");
    }
    for line in [
        "OFFICIAL",
        "Secret",
        "Secrets are kept in the vault.",
        "The confidential flag hides a field.",
        "Keep your password secret.",
    ] {
        assert!(!is_marking(line), "{line}");
    }
}

#[test]
fn a_positive_modal_permits_and_a_quoted_marking_is_a_mention() {
    for permits in [
        "Each of these packages can be used independently outside of Rails.",
        "This code can be shared with other departments.",
        "\"OFFICIAL-SENSITIVE\"",
        "'OFFICIAL-SENSITIVE',",
        "Sensitivity: OFFICIAL-SENSITIVE\"",
    ] {
        assert_eq!(withholding_kind(permits), None, "{permits}");
    }
    for withholds in [
        "This code can not be shared outside Acme.",
        "This code cannot be used outside Acme.",
        "These packages may only be used within Acme.",
        "OFFICIAL-SENSITIVE",
        "Classification: OFFICIAL-SENSITIVE",
    ] {
        assert!(withholding_kind(withholds).is_some(), "{withholds}");
    }
}
