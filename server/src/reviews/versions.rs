//! Version history and comparison: the versions AWS lists, annotated with lensgate's records of
//! who wrote, approved and published each, and the difference between two of them.

use lensgate_app::{
    error::AppError,
    reviews::{Comparison, VersionRecord},
};

use super::{LiveReviews, database, diff::lens_diff, store};
use lensgate_app::ids::LensArn;

impl LiveReviews {
    pub(super) async fn version_history(
        &self,
        arn: &LensArn,
    ) -> Result<Vec<VersionRecord>, AppError> {
        let mut history: Vec<VersionRecord> = store::versions(&self.db, arn.as_str())
            .await
            .map_err(database)?
            .into_iter()
            .map(|v| VersionRecord {
                name: v.version_name,
                is_major: Some(v.is_major),
                author: Some(v.author),
                approvers: v
                    .approvers
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                publisher: Some(v.publisher),
                published_at: Some(v.published_at),
                review_id: Some(v.review_id),
                through_lensgate: true,
            })
            .collect();
        let latest = self
            .gateway
            .get_lens(arn.as_str(), None)
            .await
            .map_err(AppError::from)?;
        if let Some(name) = latest
            .lens()
            .and_then(|l| l.lens_version())
            .filter(|v| !v.is_empty())
            && !history.iter().any(|v| v.name == name)
        {
            history.insert(
                0,
                VersionRecord {
                    name: name.to_owned(),
                    is_major: None,
                    author: None,
                    approvers: Vec::new(),
                    publisher: None,
                    published_at: None,
                    review_id: None,
                    through_lensgate: false,
                },
            );
        }
        Ok(history)
    }

    pub(super) async fn version_json(&self, arn: &LensArn, name: &str) -> Result<String, AppError> {
        if let Some(local) = store::versions(&self.db, arn.as_str())
            .await
            .map_err(database)?
            .into_iter()
            .find(|v| v.version_name == name)
        {
            return Ok(local.json);
        }
        let exported = self
            .gateway
            .export_lens(arn.as_str(), Some(name.to_owned()))
            .await
            .map_err(AppError::from)?;
        Ok(exported.lens_json().unwrap_or_default().to_owned())
    }

    pub(super) async fn compare_versions(
        &self,
        arn: LensArn,
        base: String,
        target: String,
    ) -> Result<Comparison, AppError> {
        let before = self.version_json(&arn, &base).await?;
        let after = self.version_json(&arn, &target).await?;
        let aws = match self
            .gateway
            .get_lens_version_difference(arn.as_str(), &base, Some(target.clone()))
            .await
        {
            Ok(answer) => Ok(answer
                .version_differences()
                .map(aws_sdk_wellarchitected::types::VersionDifferences::pillar_differences)
                .unwrap_or_default()
                .iter()
                .flat_map(|pillar| {
                    let name = pillar.pillar_name().unwrap_or_default().to_owned();
                    let status = pillar
                        .difference_status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default();
                    std::iter::once(format!("Pillar “{name}”: {status}")).chain(
                        pillar.question_differences().iter().map(move |q| {
                            format!(
                                "Pillar “{name}” › question “{}”: {}",
                                q.question_title().unwrap_or_default(),
                                q.difference_status()
                                    .map(aws_sdk_wellarchitected::types::DifferenceStatus::as_str)
                                    .unwrap_or_default()
                            )
                        }),
                    )
                })
                .collect()),
            Err(error) => Err(AppError::from(error).to_string()),
        };
        Ok(Comparison {
            base,
            target,
            diff: lens_diff(&before, &after),
            aws,
        })
    }
}
