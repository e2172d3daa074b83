//! The verdict: a pure function of the licence report and the policy.
