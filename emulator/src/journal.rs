//! The most recent requests as the emulator saw them: operation, account, client token, SDK
//! attempt and outcome. Tests read it to prove that retries reused one token.

use std::{collections::VecDeque, sync::Mutex};

use serde::Serialize;

const KEPT: usize = 10_000;

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub operation: String,
    pub account: String,
    pub client_token: Option<String>,
    /// The SDK's `amz-sdk-request` header, e.g. `attempt=2; max=3`.
    pub attempt: Option<String>,
    pub invocation_id: Option<String>,
    pub status: u16,
    pub error: Option<String>,
}

#[derive(Default)]
pub struct Journal(Mutex<VecDeque<Entry>>);

impl Journal {
    pub fn record(&self, entry: Entry) {
        if let Ok(mut entries) = self.0.lock() {
            if entries.len() == KEPT {
                entries.pop_front();
            }
            entries.push_back(entry);
        }
    }

    pub fn entries(&self, operation: Option<&str>) -> Vec<Entry> {
        self.0
            .lock()
            .map(|e| {
                e.iter()
                    .filter(|entry| operation.is_none_or(|op| entry.operation == op))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.0.lock() {
            entries.clear();
        }
    }
}
