//! ovopsim: an agent-based simulation of rural agro-industry under the One Village One Product approach.

pub mod app;
pub mod cli;
pub mod engine;
pub mod env;
pub mod metrics;
pub mod model;
pub mod report;
pub mod results;
pub mod rng;
pub mod saved;
pub mod scenario;
pub mod serve;
pub mod stats;
pub mod study;
