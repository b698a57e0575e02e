//! Counts the SDK's attempts at one call (retries included), for the audit history.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use aws_sdk_wellarchitected::config::{
    ConfigBag, Intercept, RuntimeComponents, interceptors::BeforeTransmitInterceptorContextRef,
};

#[derive(Debug, Clone, Default)]
pub struct AttemptCounter(Arc<AtomicI64>);

impl AttemptCounter {
    pub fn count(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Intercept for AttemptCounter {
    fn name(&self) -> &'static str {
        "lensgate-attempt-counter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
