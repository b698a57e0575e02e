//! Fault injection: per operation (or `*` for all), a rate of throttling and internal errors and
//! an added latency. Set at start or at run time through the admin endpoint.

use std::{collections::BTreeMap, sync::RwLock, time::Duration};

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRule {
    /// Share of requests answered with a throttling error, 0.0 to 1.0.
    pub throttle_rate: f64,
    /// Share of requests answered with an internal server error, 0.0 to 1.0.
    pub internal_rate: f64,
    /// Added before the request is served.
    pub latency_ms: u64,
}

/// Rules by operation name; `*` applies where no rule names the operation.
pub type FaultRules = BTreeMap<String, FaultRule>;

#[derive(Default)]
pub struct Faults(RwLock<FaultRules>);

impl Faults {
    pub fn new(rules: FaultRules) -> Result<Self, String> {
        validate(&rules)?;
        Ok(Faults(RwLock::new(rules)))
    }

    pub fn rules(&self) -> FaultRules {
        self.0.read().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn replace(&self, rules: FaultRules) -> Result<(), String> {
        validate(&rules)?;
        if let Ok(mut current) = self.0.write() {
            *current = rules;
        }
        Ok(())
    }

    /// Waits the configured latency, then maybe fails the request.
    pub async fn apply(&self, operation: &str) -> Result<(), ServiceError> {
        let Some(rule) = self
            .0
            .read()
            .ok()
            .and_then(|rules| rules.get(operation).or_else(|| rules.get("*")).cloned())
        else {
            return Ok(());
        };
        if rule.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(rule.latency_ms)).await;
        }
        let roll: f64 = rand::rng().random();
        if roll < rule.throttle_rate {
            return Err(ServiceError::new(
                "ThrottlingException",
                "Rate exceeded (injected fault).",
            ));
        }
        if roll < rule.throttle_rate + rule.internal_rate {
            return Err(ServiceError::new(
                "InternalServerException",
                "The service had an internal error (injected fault).",
            ));
        }
        Ok(())
    }
}

fn validate(rules: &FaultRules) -> Result<(), String> {
    for (operation, rule) in rules {
        let rates = [rule.throttle_rate, rule.internal_rate];
        if rates.iter().any(|r| !(0.0..=1.0).contains(r)) || rates.iter().sum::<f64>() > 1.0 {
            return Err(format!(
                "{operation}: rates must be between 0 and 1 and add up to at most 1"
            ));
        }
    }
    Ok(())
}
