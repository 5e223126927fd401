//! ovopsim: an agent-based simulation of rural agro-industry under the One Village One Product approach.

pub mod metrics;
pub mod report;
pub mod results;
pub mod stats;
pub mod scenario;
