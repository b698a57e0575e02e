//! Where a node of the lens is: the same steps the validator's problem paths name, so that a
//! field of the outline finds its own problems by comparing paths.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Path(Vec<Step>);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// What kind of node a path names, read from its last steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Lens,
    Pillar,
    Question,
    Choice,
    RiskRule,
}

impl NodeKind {
    /// The member that names a node of this kind, which its generated id follows.
    pub fn title_key(self) -> Option<&'static str> {
        match self {
            NodeKind::Lens | NodeKind::Pillar => Some("name"),
            NodeKind::Question | NodeKind::Choice => Some("title"),
            NodeKind::RiskRule => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Lens => "lens",
            NodeKind::Pillar => "pillar",
            NodeKind::Question => "question",
            NodeKind::Choice => "choice",
            NodeKind::RiskRule => "risk rule",
        }
    }
}

impl Path {
    pub fn root() -> Self {
        Self::default()
    }

    pub fn pillar(pillar: usize) -> Self {
        Self::root().key("pillars").index(pillar)
    }

    pub fn question(pillar: usize, question: usize) -> Self {
        Self::pillar(pillar).key("questions").index(question)
    }

    pub fn choice(pillar: usize, question: usize, choice: usize) -> Self {
        Self::question(pillar, question)
            .key("choices")
            .index(choice)
    }

    pub fn risk_rule(pillar: usize, question: usize, rule: usize) -> Self {
        Self::question(pillar, question)
            .key("riskRules")
            .index(rule)
    }

    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        Self(steps)
    }

    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        Self(steps)
    }

    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// The path without its last step, and that step.
    pub fn split_last(&self) -> Option<(Path, &Step)> {
        let (last, rest) = self.0.split_last()?;
        Some((Path(rest.to_vec()), last))
    }

    /// For an item of a list: the list's path and the item's index.
    pub fn as_item(&self) -> Option<(Path, usize)> {
        match self.split_last()? {
            (list, Step::Index(index)) => Some((list, *index)),
            _ => None,
        }
    }

    /// The same list's item at `index`.
    #[must_use]
    pub fn sibling(&self, index: usize) -> Self {
        match self.as_item() {
            Some((list, _)) => list.index(index),
            None => self.clone(),
        }
    }

    pub fn kind(&self) -> Option<NodeKind> {
        let keys: Vec<Option<&str>> = self
            .0
            .iter()
            .map(|step| match step {
                Step::Key(key) => Some(key.as_str()),
                Step::Index(_) => None,
            })
            .collect();
        match keys.as_slice() {
            [] => Some(NodeKind::Lens),
            [Some("pillars"), None] => Some(NodeKind::Pillar),
            [Some("pillars"), None, Some("questions"), None] => Some(NodeKind::Question),
            [
                Some("pillars"),
                None,
                Some("questions"),
                None,
                Some("choices"),
                None,
            ] => Some(NodeKind::Choice),
            [
                Some("pillars"),
                None,
                Some("questions"),
                None,
                Some("riskRules"),
                None,
            ] => Some(NodeKind::RiskRule),
            _ => None,
        }
    }

    /// The question a choice or risk rule belongs to (a question is its own).
    pub fn question_of(&self) -> Option<Path> {
        (self.0.len() >= 4).then(|| Path(self.0[..4].to_vec()))
    }

    /// The index of step `at`, when that step is an index.
    pub fn index_at(&self, at: usize) -> Option<usize> {
        match self.0.get(at) {
            Some(Step::Index(index)) => Some(*index),
            _ => None,
        }
    }
}

/// Whether the written path `inner` (a problem's path) is `outer` or lies inside it.
pub fn lies_in(inner: &str, outer: &str) -> bool {
    outer.is_empty()
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(key) if i == 0 => f.write_str(key)?,
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_the_validator_writes_them_and_know_their_kind() {
        let choice = Path::choice(2, 0, 4);
        assert_eq!(
            choice.key("id").to_string(),
            "pillars[2].questions[0].choices[4].id"
        );
        assert_eq!(choice.kind(), Some(NodeKind::Choice));
        assert_eq!(Path::risk_rule(0, 1, 2).kind(), Some(NodeKind::RiskRule));
        assert_eq!(choice.key("id").kind(), None);
        assert_eq!(choice.question_of(), Some(Path::question(2, 0)));
        let question = Path::question(2, 0).to_string();
        assert!(lies_in("pillars[2].questions[0].choices[4].id", &question));
        assert!(lies_in(&question, &question));
        assert!(!lies_in(
            "pillars[2].questions[10].id",
            "pillars[2].questions[1]"
        ));
        assert_eq!(choice.sibling(1), Path::choice(2, 0, 1));
    }
}
