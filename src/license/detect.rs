//! Candidates → findings and observations.
