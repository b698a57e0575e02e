//! Every answer a question can get, scored the way the service scores it: the rules in order,
//! the first whose condition holds gives the risk, and no rule holding leaves the question
//! without a risk (it shows as unanswered). "None of these" is scored as written: the service
//! stores it beside other choices and the rules see whatever was sent.
//!
//! A question has at most 15 choices, so at most 2^15 answers. Each condition is evaluated
//! over all of them at once, as a truth table of 64-bit words: choice `i` is true for the
//! answers whose bit `i` is set, and `&&`, `||`, `!` are word-wise operations.

use serde::{Deserialize, Serialize};

use crate::{
    condition::{Condition, Expr},
    model::{Choice, Question, Risk},
};

/// The most choices analysed; the validator refuses more.
pub const MAX_CHOICES: usize = 15;

/// A set of answers, one bit per answer; answer `a` selects choice `i` when bit `i` of `a` is set.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Answers {
    words: Vec<u64>,
    count: usize,
}

impl Answers {
    fn none(choices: usize) -> Self {
        let count = 1usize << choices;
        Answers {
            words: vec![0; count.div_ceil(64)],
            count,
        }
    }

    fn all(choices: usize) -> Self {
        let mut all = Answers::none(choices);
        all.words.iter_mut().for_each(|w| *w = u64::MAX);
        all.trim();
        all
    }

    /// The answers that select choice `i`.
    fn choice(choices: usize, i: usize) -> Self {
        let mut set = Answers::none(choices);
        if i < 6 {
            // Within a word the pattern repeats every 2^(i+1) bits.
            let mut pattern = 0u64;
            for bit in 0..64 {
                if bit >> i & 1 == 1 {
                    pattern |= 1 << bit;
                }
            }
            set.words.iter_mut().for_each(|w| *w = pattern);
        } else {
            for (n, w) in set.words.iter_mut().enumerate() {
                if n >> (i - 6) & 1 == 1 {
                    *w = u64::MAX;
                }
            }
        }
        set.trim();
        set
    }

    /// Clears the bits beyond `count` in the last word, for questions of fewer than 6 choices.
    fn trim(&mut self) {
        if self.count < 64 {
            self.words[0] &= (1u64 << self.count) - 1;
        }
    }

    fn and(mut self, other: &Answers) -> Self {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= b);
        self
    }

    fn or(mut self, other: &Answers) -> Self {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= b);
        self
    }

    fn not(mut self) -> Self {
        self.words.iter_mut().for_each(|w| *w = !*w);
        self.trim();
        self
    }

    fn len(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    fn contains(&self, answer: usize) -> bool {
        self.words[answer / 64] >> (answer % 64) & 1 == 1
    }

    /// The first answer in the set, counting answers as binary numbers: it selects the fewest
    /// of the later choices, which keeps the example short without searching every answer.
    fn first(&self) -> Option<usize> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(n, w)| n * 64 + w.trailing_zeros() as usize)
    }
}

/// What one risk level (or no risk level) is given for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `None`: no rule holds, and the question shows as unanswered.
    pub risk: Option<Risk>,
    /// How many of the question's answers get it.
    pub answers: u32,
    /// The first such answer (see `Answers::first`), as the ids of its selected choices.
    pub example: Vec<String>,
}

/// A question's rules over every answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// How many answers each rule decides, in the rules' order.
    pub decided: Vec<u32>,
    /// Per risk level reached, highest risk first, then the answers no rule decides.
    pub outcomes: Vec<Outcome>,
    /// The risk of the answer that selects every choice but "None of these".
    pub every_choice: Option<Risk>,
    /// The risk of "None of these" alone, when the question has that choice.
    pub none_of_these: Option<Option<Risk>>,
    /// The risk of the answer that selects nothing.
    pub nothing: Option<Risk>,
}

/// The analysis of a question whose rules all parse and name its own choices; `None` otherwise,
/// or when it has more choices than the service allows.
pub fn analyse(question: &Question) -> Option<Analysis> {
    let choices = &question.choices;
    if choices.len() > MAX_CHOICES || question.risk_rules.is_empty() {
        return None;
    }
    let n = choices.len();
    let index = |id: &str| choices.iter().position(|c| c.id == id);
    let mut undecided = Answers::all(n);
    let mut decided = Vec::with_capacity(question.risk_rules.len());
    let mut risk_of = Vec::new();
    for rule in &question.risk_rules {
        let holds = match rule.condition.as_ref()? {
            Condition::Default => Answers::all(n),
            Condition::Expr(expr) => truth(expr, n, &index)?,
        };
        let decides = holds.and(&undecided);
        decided.push(decides.len());
        undecided = undecided.and(&decides.clone().not());
        risk_of.push((rule.risk, decides));
    }
    let mut outcomes = Vec::new();
    let example = |set: &Answers| -> Vec<String> {
        set.first().map(|a| ids_of(question, a)).unwrap_or_default()
    };
    for level in [Risk::High, Risk::Medium, Risk::None] {
        let mut given = Answers::none(n);
        for (risk, set) in &risk_of {
            if *risk == level {
                given = given.or(set);
            }
        }
        if given.len() > 0 {
            outcomes.push(Outcome {
                risk: Some(level),
                answers: given.len(),
                example: example(&given),
            });
        }
    }
    if undecided.len() > 0 {
        outcomes.push(Outcome {
            risk: None,
            answers: undecided.len(),
            example: example(&undecided),
        });
    }
    let score = |answer: usize| {
        risk_of
            .iter()
            .find(|(_, set)| set.contains(answer))
            .map(|(risk, _)| *risk)
    };
    let none_index = choices.iter().position(Choice::is_none_of_these);
    let every: usize = (0..n)
        .filter(|i| Some(*i) != none_index)
        .map(|i| 1 << i)
        .sum();
    Some(Analysis {
        decided,
        outcomes,
        every_choice: score(every),
        none_of_these: none_index.map(|i| score(1 << i)),
        nothing: score(0),
    })
}

/// The risk the service gives the answer that selects `selected`: the first rule that holds.
pub fn risk_of(question: &Question, selected: &[&str]) -> Option<Risk> {
    question.risk_rules.iter().find_map(|rule| {
        let holds = match rule.condition.as_ref()? {
            Condition::Default => true,
            Condition::Expr(expr) => expr.holds(&|id| selected.contains(&id)),
        };
        holds.then_some(rule.risk)
    })
}

fn ids_of(question: &Question, answer: usize) -> Vec<String> {
    question
        .choices
        .iter()
        .enumerate()
        .filter(|(i, _)| answer >> i & 1 == 1)
        .map(|(_, c)| c.id.clone())
        .collect()
}

fn truth(expr: &Expr, n: usize, index: &dyn Fn(&str) -> Option<usize>) -> Option<Answers> {
    Some(match expr {
        Expr::Choice(id) => Answers::choice(n, index(id)?),
        Expr::Not(inner) => truth(inner, n, index)?.not(),
        Expr::And(terms) => {
            let mut out = Answers::all(n);
            for term in terms {
                out = out.and(&truth(term, n, index)?);
            }
            out
        }
        Expr::Or(terms) => {
            let mut out = Answers::none(n);
            for term in terms {
                out = out.or(&truth(term, n, index)?);
            }
            out
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Answers, Outcome, analyse, risk_of};
    use crate::{
        condition,
        model::{Choice, Question, Risk, RiskRule},
    };

    fn question(choices: &[&str], rules: &[(&str, Risk)]) -> Question {
        Question {
            id: "q".into(),
            choices: choices
                .iter()
                .map(|id| Choice {
                    id: (*id).into(),
                    ..Choice::default()
                })
                .collect(),
            risk_rules: rules
                .iter()
                .map(|(text, risk)| RiskRule {
                    text: (*text).into(),
                    condition: Some(condition::parse(text).unwrap().condition),
                    risk: *risk,
                })
                .collect(),
            ..Question::default()
        }
    }

    #[test]
    fn truth_tables_match_the_answers_they_stand_for() {
        for n in [1, 3, 6, 7, 15] {
            for i in 0..n {
                let set = Answers::choice(n, i);
                for answer in 0..(1usize << n) {
                    assert_eq!(
                        set.contains(answer),
                        answer >> i & 1 == 1,
                        "n={n} i={i} a={answer}"
                    );
                }
                assert_eq!(set.len(), 1 << (n - 1));
            }
            assert_eq!(Answers::all(n).len(), 1 << n);
        }
    }

    #[test]
    fn the_first_rule_that_holds_decides() {
        let q = question(
            &["a", "b", "none_no"],
            &[
                ("a && b", Risk::None),
                ("a || b", Risk::Medium),
                ("default", Risk::High),
            ],
        );
        let analysis = analyse(&q).unwrap();
        assert_eq!(analysis.decided, [2, 4, 2]);
        assert_eq!(analysis.every_choice, Some(Risk::None));
        assert_eq!(analysis.none_of_these, Some(Some(Risk::High)));
        assert_eq!(analysis.nothing, Some(Risk::High));
        assert_eq!(
            analysis.outcomes[0],
            Outcome {
                risk: Some(Risk::High),
                answers: 2,
                example: vec![]
            },
            "nothing selected, or only none_no"
        );
        assert_eq!(
            risk_of(&q, &["a", "b", "none_no"]),
            Some(Risk::None),
            "none_no is scored as written"
        );
        assert_eq!(risk_of(&q, &["b"]), Some(Risk::Medium));
    }

    #[test]
    fn answers_no_rule_decides_have_no_risk() {
        let q = question(&["a", "b"], &[("a", Risk::None)]);
        let analysis = analyse(&q).unwrap();
        let last = analysis.outcomes.last().unwrap();
        assert_eq!((last.risk, last.answers), (None, 2));
        assert_eq!(analysis.nothing, None);
    }
}
