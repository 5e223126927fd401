//! Summary statistics over replications.
