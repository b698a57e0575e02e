//! What an event was about beyond its target, in a few words for the lists: the principal a
//! share went to, the version published, the permission set. Read from the request as the
//! gateway stored it (an outcome's request is its operation's `requested` event's).

use serde_json::Value;

/// A short phrase, or `None` when the target says it all.
pub fn subject(action: &str, request: &Value) -> Option<String> {
    let text = |key: &str| request[key].as_str().filter(|v| !v.is_empty());
    match action {
        "CreateLensShare" => text("shared_with").map(|p| format!("with {p}")),
        "CreateWorkloadShare" => match (text("shared_with"), text("permission_type")) {
            (Some(p), Some(permission)) => Some(format!("with {p} ({})", readable(permission))),
            (Some(p), None) => Some(format!("with {p}")),
            _ => None,
        },
        "UpdateWorkloadShare" => text("permission_type").map(|p| format!("to {}", readable(p))),
        "DeleteLensShare" | "DeleteWorkloadShare" => {
            text("share_id").map(|id| format!("share {id}"))
        }
        "CreateLensVersion" => text("lens_version").map(|version| {
            let kind = if request["is_major_version"].as_bool() == Some(true) {
                "major"
            } else {
                "minor"
            };
            format!("version {version} ({kind})")
        }),
        "CreateWorkload" => text("workload_name").map(|name| format!("“{name}”")),
        "CreateGrantVersion" => text("grant_name").map(|name| format!("as “{name}”")),
        "UpdateShareInvitation" => text("share_invitation_action").map(str::to_lowercase),
        _ => match (&request["review_id"], text("role")) {
            (Value::Number(id), _) => Some(format!("review {id}")),
            (_, Some(role)) => Some(format!("role {role}")),
            _ => None,
        },
    }
}

fn readable(permission: &str) -> &str {
    match permission {
        "READONLY" => "read-only",
        "CONTRIBUTOR" => "contributor",
        other => other,
    }
}

/// Whether the event's request must be read from its operation's `requested` event, and is
/// worth reading (an import's request carries the whole lens and says nothing more than its
/// target).
pub fn needs_request(action: &str, phase: &str) -> bool {
    matches!(phase, "succeeded" | "failed") && action != "ImportLens"
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::subject;

    #[test]
    fn shares_name_their_principal_and_versions_their_name() {
        assert_eq!(
            subject("CreateLensShare", &json!({ "shared_with": "o-abcdefghij" })).as_deref(),
            Some("with o-abcdefghij")
        );
        assert_eq!(
            subject(
                "CreateWorkloadShare",
                &json!({ "shared_with": "111122223333", "permission_type": "READONLY" })
            )
            .as_deref(),
            Some("with 111122223333 (read-only)")
        );
        assert_eq!(
            subject(
                "CreateLensVersion",
                &json!({ "lens_version": "1.1", "is_major_version": false })
            )
            .as_deref(),
            Some("version 1.1 (minor)")
        );
        assert_eq!(
            subject("ApproveDraft", &json!({ "review_id": 4 })).as_deref(),
            Some("review 4")
        );
        assert_eq!(subject("SignIn", &json!({ "client": "127.0.0.1" })), None);
        assert_eq!(subject("CreateLensShare", &Value::Null), None);
    }
}
