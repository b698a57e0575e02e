//! The risk-rule condition language: `default`, or a boolean expression over the question's
//! choice ids with `&&`, `||`, `!` and parentheses (`!` binds tightest, then `&&`, then `||`).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    Default,
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expr {
    Choice(String),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// A choice id named in a condition and the character index where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError {
    /// Character index in the condition text.
    pub at: usize,
    pub message: String,
}

pub struct Parsed {
    pub condition: Condition,
    pub references: Vec<Reference>,
}

pub fn parse(text: &str) -> Result<Parsed, ConditionError> {
    if text.trim() == "default" {
        return Ok(Parsed {
            condition: Condition::Default,
            references: Vec::new(),
        });
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        end: text.chars().count(),
        references: Vec::new(),
    };
    if tokens.is_empty() {
        return Err(ConditionError {
            at: 0,
            message: "The condition is empty; write `default` or an expression over choice ids."
                .into(),
        });
    }
    let expr = parser.or()?;
    if let Some(token) = parser.peek() {
        return Err(ConditionError {
            at: token.at,
            message: format!("Unexpected {} after a complete condition.", token.kind),
        });
    }
    Ok(Parsed {
        condition: Condition::Expr(expr),
        references: parser.references,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TokenKind {
    Id(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Id(id) => write!(f, "choice id `{id}`"),
            TokenKind::And => f.write_str("`&&`"),
            TokenKind::Or => f.write_str("`||`"),
            TokenKind::Not => f.write_str("`!`"),
            TokenKind::Open => f.write_str("`(`"),
            TokenKind::Close => f.write_str("`)`"),
        }
    }
}

struct Token {
    kind: TokenKind,
    at: usize,
}

fn tokenize(text: &str) -> Result<Vec<Token>, ConditionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => TokenKind::Open,
            ')' => TokenKind::Close,
            '!' => TokenKind::Not,
            '&' | '|' => {
                if chars.get(i + 1) != Some(&c) {
                    return Err(ConditionError {
                        at,
                        message: format!("A single `{c}` is not an operator; write `{c}{c}`."),
                    });
                }
                i += 1;
                if c == '&' {
                    TokenKind::And
                } else {
                    TokenKind::Or
                }
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut id = String::new();
                while let Some(&c) = chars
                    .get(i)
                    .filter(|c| c.is_ascii_alphanumeric() || **c == '_')
                {
                    id.push(c);
                    i += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Id(id),
                    at,
                });
                continue;
            }
            other => {
                return Err(ConditionError {
                    at,
                    message: format!(
                        "`{other}` cannot appear in a condition: use choice ids, `&&`, `||`, `!` and parentheses."
                    ),
                });
            }
        };
        tokens.push(Token { kind, at });
        i += 1;
    }
    Ok(tokens)
}

struct Parser<'t> {
    tokens: &'t [Token],
    next: usize,
    end: usize,
    references: Vec<Reference>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.peek().is_some_and(|token| &token.kind == kind) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut terms = vec![self.and()?];
        while self.eat(&TokenKind::Or) {
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::Or(terms)
        })
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut terms = vec![self.unary()?];
        while self.eat(&TokenKind::And) {
            terms.push(self.unary()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::And(terms)
        })
    }

    fn unary(&mut self) -> Result<Expr, ConditionError> {
        if self.eat(&TokenKind::Not) {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let Some(token) = self.peek() else {
            return Err(ConditionError {
                at: self.end,
                message: "The condition ends where a choice id or `(` was expected.".into(),
            });
        };
        let (at, kind) = (token.at, token.kind.clone());
        match kind {
            TokenKind::Id(id) if id == "default" => Err(ConditionError {
                at,
                message: "`default` stands alone; it cannot be combined with other conditions."
                    .into(),
            }),
            TokenKind::Id(id) => {
                self.next += 1;
                self.references.push(Reference { id: id.clone(), at });
                Ok(Expr::Choice(id))
            }
            TokenKind::Open => {
                self.next += 1;
                let inner = self.or()?;
                if !self.eat(&TokenKind::Close) {
                    let (found, found_at) = self.peek().map_or_else(
                        || ("the end of the condition".to_owned(), self.end),
                        |t| (t.kind.to_string(), t.at),
                    );
                    return Err(ConditionError {
                        at: found_at,
                        message: format!(
                            "The `(` at character {} is never closed: found {found}.",
                            at + 1
                        ),
                    });
                }
                Ok(inner)
            }
            other => Err(ConditionError {
                at,
                message: format!("Expected a choice id or `(`, found {other}."),
            }),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(self, f, 0)
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Default => f.write_str("default"),
            Condition::Expr(expr) => expr.fmt(f),
        }
    }
}

/// Writes the canonical text: single spaces, parentheses only where precedence needs them.
fn write_expr(expr: &Expr, f: &mut fmt::Formatter<'_>, outer: u8) -> fmt::Result {
    let (terms, op, level) = match expr {
        Expr::Choice(id) => return f.write_str(id),
        Expr::Not(inner) => {
            f.write_str("!")?;
            return write_expr(inner, f, 3);
        }
        Expr::And(terms) => (terms, " && ", 2),
        Expr::Or(terms) => (terms, " || ", 1),
    };
    let wrap = outer > level;
    if wrap {
        f.write_str("(")?;
    }
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            f.write_str(op)?;
        }
        write_expr(term, f, level)?;
    }
    if wrap {
        f.write_str(")")?;
    }
    Ok(())
}

impl Expr {
    /// Whether the expression holds for an answer, given which choices it selects.
    pub fn holds(&self, selected: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Choice(id) => selected(id),
            Expr::Not(inner) => !inner.holds(selected),
            Expr::And(terms) => terms.iter().all(|t| t.holds(selected)),
            Expr::Or(terms) => terms.iter().any(|t| t.holds(selected)),
        }
    }

    /// The expression in words, naming each choice through `title`.
    pub fn describe(&self, title: &dyn Fn(&str) -> String) -> String {
        describe(self, title, false)
    }
}

fn describe(expr: &Expr, title: &dyn Fn(&str) -> String, nested: bool) -> String {
    match expr {
        Expr::Choice(id) => format!("“{}” is selected", title(id)),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Choice(id) => format!("“{}” is not selected", title(id)),
            other => format!("it is not the case that {}", describe(other, title, true)),
        },
        Expr::And(terms) | Expr::Or(terms) => {
            let joiner = if matches!(expr, Expr::And(_)) {
                " and "
            } else {
                " or "
            };
            let text = terms
                .iter()
                .map(|term| describe(term, title, true))
                .collect::<Vec<_>>()
                .join(joiner);
            if nested { format!("({text})") } else { text }
        }
    }
}

/// The conditions a rule builder offers: all of, any of or none of a set of choices, or
/// every other case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    AllOf,
    AnyOf,
    NoneOf,
    Default,
}

impl Shape {
    pub const ALL: [Shape; 4] = [Shape::AllOf, Shape::AnyOf, Shape::NoneOf, Shape::Default];

    pub fn as_str(self) -> &'static str {
        match self {
            Shape::AllOf => "all",
            Shape::AnyOf => "any",
            Shape::NoneOf => "none",
            Shape::Default => "default",
        }
    }

    pub fn parse(text: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Shape::AllOf => "all of these are selected",
            Shape::AnyOf => "any of these is selected",
            Shape::NoneOf => "none of these is selected",
            Shape::Default => "in every other case",
        }
    }

    /// The condition text of this shape over `choices` (in the order given).
    pub fn write(self, choices: &[&str]) -> String {
        match self {
            Shape::Default => "default".to_owned(),
            Shape::AllOf => choices.join(" && "),
            Shape::AnyOf => choices.join(" || "),
            Shape::NoneOf => choices
                .iter()
                .map(|id| format!("!{id}"))
                .collect::<Vec<_>>()
                .join(" && "),
        }
    }

    /// The shape and the choices of a condition a builder can show; `None` for one it cannot
    /// (nesting, mixed operators), which stays editable as text.
    pub fn of(condition: &Condition) -> Option<(Shape, Vec<String>)> {
        let choice = |expr: &Expr| match expr {
            Expr::Choice(id) => Some(id.clone()),
            _ => None,
        };
        let negated = |expr: &Expr| match expr {
            Expr::Not(inner) => choice(inner),
            _ => None,
        };
        match condition {
            Condition::Default => Some((Shape::Default, Vec::new())),
            Condition::Expr(Expr::Choice(id)) => Some((Shape::AllOf, vec![id.clone()])),
            Condition::Expr(Expr::Not(inner)) => Some((Shape::NoneOf, vec![choice(inner)?])),
            Condition::Expr(Expr::And(terms)) => terms
                .iter()
                .map(choice)
                .collect::<Option<_>>()
                .map(|ids| (Shape::AllOf, ids))
                .or_else(|| {
                    terms
                        .iter()
                        .map(negated)
                        .collect::<Option<_>>()
                        .map(|ids| (Shape::NoneOf, ids))
                }),
            Condition::Expr(Expr::Or(terms)) => terms
                .iter()
                .map(choice)
                .collect::<Option<_>>()
                .map(|ids| (Shape::AnyOf, ids)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ConditionError {
        parse(text).err().expect("a syntax error")
    }

    #[test]
    fn precedence_and_canonical_text() {
        let parsed = parse("a || b && !(c || d)").unwrap();
        assert_eq!(parsed.condition.to_string(), "a || b && !(c || d)");
        let ids: Vec<_> = parsed
            .references
            .iter()
            .map(|r| (r.id.as_str(), r.at))
            .collect();
        assert_eq!(ids, [("a", 0), ("b", 5), ("c", 12), ("d", 17)]);
        assert_eq!(parse("((a))&&b").unwrap().condition.to_string(), "a && b");
        assert_eq!(parse(" default ").unwrap().condition, Condition::Default);
    }

    #[test]
    fn syntax_errors_point_at_the_offending_character() {
        assert_eq!(error("a & b").at, 2);
        assert_eq!(error("a && || b").at, 5);
        assert_eq!(error("(a && b").at, 7);
        assert!(
            error("(a && b")
                .message
                .contains("character 1 is never closed")
        );
        assert_eq!(error("a b").at, 2);
        assert_eq!(error("a && b)").at, 6);
        assert_eq!(error("a && $b").at, 5);
        assert_eq!(error("a &&").at, 4);
        assert!(error("default || a").message.contains("stands alone"));
        assert!(error("  ").message.contains("empty"));
    }

    #[test]
    fn simple_conditions_have_a_shape_and_write_back_the_same() {
        for text in ["a && b", "a || b || c", "!a && !b", "a", "!a", "default"] {
            let condition = parse(text).unwrap().condition;
            let (shape, ids) = Shape::of(&condition).expect(text);
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let written = shape.write(&ids);
            assert_eq!(parse(&written).unwrap().condition, condition, "{text}");
        }
        for text in ["a && !b", "a || b && c", "!(a || b)"] {
            assert_eq!(Shape::of(&parse(text).unwrap().condition), None, "{text}");
        }
    }

    #[test]
    fn conditions_read_as_words() {
        let parsed = parse("a && !b || !(c && d)").unwrap();
        let Condition::Expr(expr) = parsed.condition else {
            panic!()
        };
        let words = expr.describe(&|id| id.to_uppercase());
        assert_eq!(
            words,
            "(“A” is selected and “B” is not selected) or it is not the case that (“C” is selected and “D” is selected)"
        );
    }
}
