//! Cluster query language, used by `memberOf` placement constraints.
//!
//! Rules implemented, from the Amazon ECS developer guide, "Cluster query language" (expression
//! syntax) and "Amazon ECS task placement constraints" (attributes):
//! - "Expressions have the following syntax: `subject operator [argument]`".
//! - Subjects: `agentConnected`, `agentVersion`, `attribute:attribute-name`, `ec2InstanceId`,
//!   `registeredAt`, `runningTasksCount`, `task:group`, each with the operators the guide lists
//!   for it (for example `runningTasksCount` takes `==, !=, >, >=, <, <=` only).
//! - Operators: `==`/`equals`, `!=`/`not_equals`, `>`/`greater_than`, `>=`/`greater_than_equal`,
//!   `<`/`less_than`, `<=`/`less_than_equal`, `exists`, `!exists`/`not_exists`, `in`,
//!   `!in`/`not_in`, `=~`/`matches`, `!~`/`not_matches`.
//! - "The in and not_in operators expect an argument list as the argument. You specify an argument
//!   list as follows: `[argument1, argument2, ..., argumentN]`" (square brackets; a parenthesised
//!   list is rejected with a message saying so).
//! - "The matches and not_matches operators expect an argument that conforms to the Java regular
//!   expression syntax": we compile it with `regex-lite`, whose syntax agrees with Java's for the
//!   usual patterns (`t2.*`, `(t2|t3)\..*`, `[a-c]`), and, like Java's `String.matches`, the pattern
//!   must match the whole value (so `t2.*` matches `t2.micro` but not `xt2.micro`).
//! - "You can combine expressions using the following Boolean operators: &&, and; ||, or; !, not.
//!   You can specify precedence using parentheses". The guide gives no precedence between `and` and
//!   `or`; we use the usual one (`not` binds tightest, then `and`, then `or`).
//! - Values may be bare (`t2.small`, `us-east-1a`, `service:production`) or quoted with single or
//!   double quotes, as in the guide's `ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']`.
//! - `registeredAt` accepts the guide's date formats: `2018-06-18T22:28:28+00:00`,
//!   `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28`, `2018-06-18`.
//! - The API limits `expression` to 2,000 characters (PlacementConstraint, API reference).
//!
//! Evaluation of subjects with several values (`task:group`: the groups of all tasks on the
//! instance) and with none (a missing attribute): a condition holds when at least one value
//! satisfies it, so an instance without the attribute satisfies neither `attribute:stack == prod`
//! nor `attribute:stack != prod`. This is what the guide shows: `attribute:stack != prod` "lists the
//! instances with the custom attribute "stack" unless the attribute value is "prod"", and task
//! anti-affinity is written `not(task:group == database)`, not with `!=`.
//!
//! Error positions count characters from 0.

use crate::error::{ApiError, ApiResult};
use crate::model::{ContainerInstance, DesiredStatus, Task, TaskStatus};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// "Length Constraints: Maximum length of 2000" (PlacementConstraint `expression`, API reference).
pub const MAX_EXPRESSION_LEN: usize = 2000;

/// The container agent version every simulated instance reports (`agentVersion`).
pub const AGENT_VERSION: &str = "1.89.2";

/// Calendar time of simulated second 0, for `registeredAt`: 2025-01-01T00:00:00Z (Unix seconds).
/// The playground has no wall clock; this fixed date makes `registeredAt < 2025-01-01T00:10:00Z`
/// mean "registered during the first ten simulated minutes".
pub const SIM_EPOCH_UNIX: i64 = 1_735_689_600;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cond(Condition),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    AgentConnected,
    AgentVersion,
    Attribute(String),
    Ec2InstanceId,
    RegisteredAt,
    RunningTasksCount,
    TaskGroup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Exists,
    NotExists,
    In,
    NotIn,
    Matches,
    NotMatches,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Exists => "exists",
            Op::NotExists => "!exists",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Matches => "=~",
            Op::NotMatches => "!~",
        }
    }
}

/// A literal, typed by its subject.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    Version(Vec<u64>),
    /// Unix seconds.
    Time(i64),
    Int(u64),
}

/// A compiled `matches` pattern (compared by its source text).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    re: regex_lite::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    None,
    One(Scalar),
    List(Vec<Scalar>),
    Pattern(Pattern),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub subject: Subject,
    pub op: Op,
    pub arg: Arg,
}

const ALL_OPS: &[Op] = &[
    Op::Eq,
    Op::Ne,
    Op::Gt,
    Op::Ge,
    Op::Lt,
    Op::Le,
    Op::Exists,
    Op::NotExists,
    Op::In,
    Op::NotIn,
    Op::Matches,
    Op::NotMatches,
];
/// "Valid operators: equals (==), not_equals (!=), in, not_in (!in), matches (=~), not_matches (!~)"
const IDENTITY_OPS: &[Op] = &[Op::Eq, Op::Ne, Op::In, Op::NotIn, Op::Matches, Op::NotMatches];
/// "Valid operators: equals (==), not_equals (!=), greater_than (>), greater_than_equal (>=),
/// less_than (<), less_than_equal (<=)"
const ORDER_OPS: &[Op] = &[Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le];

impl Subject {
    fn valid_ops(&self) -> &'static [Op] {
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId => IDENTITY_OPS,
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => ORDER_OPS,
            // The guide lists no operator restriction for attributes and task groups.
            Subject::Attribute(_) | Subject::TaskGroup => ALL_OPS,
        }
    }
    fn name(&self) -> String {
        match self {
            Subject::AgentConnected => "agentConnected".into(),
            Subject::AgentVersion => "agentVersion".into(),
            Subject::Attribute(a) => format!("attribute:{a}"),
            Subject::Ec2InstanceId => "ec2InstanceId".into(),
            Subject::RegisteredAt => "registeredAt".into(),
            Subject::RunningTasksCount => "runningTasksCount".into(),
            Subject::TaskGroup => "task:group".into(),
        }
    }
}

/// Parse an expression. Errors name the field `expression` and the character position.
pub fn parse(expr: &str) -> ApiResult<Expr> {
    let chars: Vec<char> = expr.chars().collect();
    if chars.len() > MAX_EXPRESSION_LEN {
        return Err(ApiError::invalid(
            "expression",
            format!("must be at most {MAX_EXPRESSION_LEN} characters (got {})", chars.len()),
        ));
    }
    let mut p = Parser { c: chars, pos: 0 };
    p.skip_ws();
    if p.at_end() {
        return Err(ApiError::invalid(
            "expression",
            "a memberOf constraint needs an expression, e.g. attribute:ecs.instance-type =~ t3.*",
        ));
    }
    let e = p.parse_or(0)?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.unexpected(p.pos));
    }
    Ok(e)
}

/// Whether an instance satisfies a `memberOf` expression (parsing it first).
pub fn instance_matches(expr: &str, instance: &ContainerInstance, tasks: &[Task]) -> ApiResult<bool> {
    Ok(parse(expr)?.matches(instance, tasks))
}

/// Parentheses nest at most this deep, so a hostile expression cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Parser {
    c: Vec<char>,
    pos: usize,
}

fn is_word(ch: char) -> bool {
    ch.is_alphanumeric() || matches!(ch, '_' | '.' | ':' | '-' | '/' | '\\' | '@' | '*')
}

fn is_op_char(ch: char) -> bool {
    matches!(ch, '=' | '!' | '<' | '>' | '~' | '&' | '|')
}

fn err_at(pos: usize, msg: impl std::fmt::Display) -> ApiError {
    ApiError::invalid("expression", format!("{msg} at position {pos}"))
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.c.len()
    }
    fn peek(&self) -> Option<char> {
        self.c.get(self.pos).copied()
    }
    fn peek_at(&self, i: usize) -> Option<char> {
        self.c.get(i).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    /// The token starting at `pos`, for messages: a word, a run of operator characters, or one char.
    fn token_at(&self, pos: usize) -> String {
        let Some(first) = self.peek_at(pos) else { return String::new() };
        let class: fn(char) -> bool = if is_word(first) {
            is_word
        } else if is_op_char(first) {
            is_op_char
        } else {
            return first.to_string();
        };
        self.c[pos..].iter().take_while(|ch| class(**ch)).collect()
    }
    fn unexpected(&self, pos: usize) -> ApiError {
        if pos >= self.c.len() {
            err_at(pos, "unexpected end of expression")
        } else {
            err_at(pos, format!("unexpected token \"{}\"", self.token_at(pos)))
        }
    }
    /// Consume a Boolean connective (`symbol` such as `&&`, or the keyword `word`) if it is next.
    fn eat_connective(&mut self, symbol: &str, word: &str) -> bool {
        self.skip_ws();
        let tok = self.token_at(self.pos);
        if tok == symbol || tok == word {
            self.pos += tok.chars().count();
            true
        } else {
            false
        }
    }

    fn parse_or(&mut self, depth: usize) -> ApiResult<Expr> {
        let mut left = self.parse_and(depth)?;
        while self.eat_connective("||", "or") {
            let right = self.parse_and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_and(&mut self, depth: usize) -> ApiResult<Expr> {
        let mut left = self.parse_unary(depth)?;
        while self.eat_connective("&&", "and") {
            let right = self.parse_unary(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn parse_unary(&mut self, depth: usize) -> ApiResult<Expr> {
        if depth > MAX_DEPTH {
            return Err(err_at(self.pos, format!("expression nests deeper than {MAX_DEPTH} levels")));
        }
        self.skip_ws();
        let start = self.pos;
        let Some(ch) = self.peek() else {
            return Err(err_at(start, "expected an expression, found the end of the expression"));
        };
        if ch == '(' {
            self.pos += 1;
            let inner = self.parse_or(depth + 1)?;
            self.skip_ws();
            if self.peek() != Some(')') {
                if self.at_end() {
                    return Err(err_at(self.pos, format!("missing \")\" to close the \"(\" at position {start}")));
                }
                return Err(self.unexpected(self.pos));
            }
            self.pos += 1;
            return Ok(inner);
        }
        let tok = self.token_at(start);
        if tok == "!" || tok == "not" {
            self.pos += tok.chars().count();
            return Ok(Expr::Not(Box::new(self.parse_unary(depth + 1)?)));
        }
        if !is_word(ch) {
            return Err(self.unexpected(start));
        }
        self.parse_condition()
    }

    fn parse_condition(&mut self) -> ApiResult<Expr> {
        let start = self.pos;
        let word = self.token_at(start);
        self.pos += word.chars().count();
        let subject = match word.as_str() {
            "agentConnected" => Subject::AgentConnected,
            "agentVersion" => Subject::AgentVersion,
            "ec2InstanceId" => Subject::Ec2InstanceId,
            "registeredAt" => Subject::RegisteredAt,
            "runningTasksCount" => Subject::RunningTasksCount,
            "task:group" => Subject::TaskGroup,
            w => match w.strip_prefix("attribute:") {
                // Attribute names: "between 1 and 128 characters ... letters (uppercase and
                // lowercase), numbers, hyphens, underscores, forward slashes, back slashes, or
                // periods" (task placement constraints, custom attributes).
                Some(name)
                    if !name.is_empty()
                        && name.chars().count() <= 128
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '\\' | '.')) =>
                {
                    Subject::Attribute(name.to_string())
                }
                Some(_) => {
                    return Err(err_at(
                        start,
                        format!("invalid attribute name in \"{w}\": names are 1-128 letters, numbers, hyphens, underscores, slashes, back slashes or periods"),
                    ))
                }
                None => {
                    return Err(err_at(
                        start,
                        format!("unknown subject \"{w}\" (expected agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount or task:group)"),
                    ))
                }
            },
        };
        self.skip_ws();
        let op_pos = self.pos;
        let op = self.parse_op(&subject)?;
        if !subject.valid_ops().contains(&op) {
            let valid: Vec<&str> = subject.valid_ops().iter().map(|o| o.as_str()).collect();
            return Err(err_at(
                op_pos,
                format!(
                    "operator \"{}\" is not valid for subject {} (valid: {})",
                    self.token_at(op_pos),
                    subject.name(),
                    valid.join(", ")
                ),
            ));
        }
        let arg = match op {
            Op::Exists | Op::NotExists => Arg::None,
            Op::In | Op::NotIn => self.parse_list(&subject, op)?,
            Op::Matches | Op::NotMatches => {
                let (pos, text) = self.parse_value(false, op)?;
                let re = regex_lite::Regex::new(&format!("^(?:{text})$")).map_err(|e| {
                    let first = e.to_string();
                    let first = first.lines().last().unwrap_or("").trim().to_string();
                    err_at(pos, format!("invalid regular expression \"{text}\": {first}"))
                })?;
                Arg::Pattern(Pattern { source: text, re })
            }
            _ => {
                let (pos, text) = self.parse_value(false, op)?;
                Arg::One(typed(&subject, &text, pos)?)
            }
        };
        Ok(Expr::Cond(Condition { subject, op, arg }))
    }

    fn parse_op(&mut self, subject: &Subject) -> ApiResult<Op> {
        let pos = self.pos;
        let Some(ch) = self.peek() else {
            return Err(err_at(pos, format!("expected an operator after \"{}\"", subject.name())));
        };
        // `!exists` and `!in` are a `!` followed by a keyword.
        if ch == '!' {
            let rest = self.token_at(pos + 1);
            if self.peek_at(pos + 1).is_some_and(is_word) && (rest == "exists" || rest == "in") {
                self.pos += 1 + rest.len();
                return Ok(if rest == "exists" { Op::NotExists } else { Op::NotIn });
            }
        }
        let tok = self.token_at(pos);
        let op = match tok.as_str() {
            "==" | "equals" => Op::Eq,
            "!=" | "not_equals" => Op::Ne,
            ">" | "greater_than" => Op::Gt,
            ">=" | "greater_than_equal" => Op::Ge,
            "<" | "less_than" => Op::Lt,
            "<=" | "less_than_equal" => Op::Le,
            "exists" => Op::Exists,
            "not_exists" => Op::NotExists,
            "in" => Op::In,
            "not_in" => Op::NotIn,
            "=~" | "matches" => Op::Matches,
            "!~" | "not_matches" => Op::NotMatches,
            _ => {
                let shown = if tok.is_empty() { self.peek().map(String::from).unwrap_or_default() } else { tok };
                return Err(err_at(
                    pos,
                    format!("unknown operator \"{shown}\" (expected ==, !=, >, >=, <, <=, exists, !exists, in, not_in, =~ or !~)"),
                ));
            }
        };
        self.pos += tok.chars().count();
        Ok(op)
    }

    fn parse_list(&mut self, subject: &Subject, op: Op) -> ApiResult<Arg> {
        self.skip_ws();
        let open = self.pos;
        match self.peek() {
            Some('[') => self.pos += 1,
            Some('(') => {
                return Err(err_at(
                    open,
                    format!(
                        "the {} operator expects an argument list in square brackets, like [a, b], not parentheses",
                        op.as_str()
                    ),
                ))
            }
            _ => {
                return Err(err_at(open, format!("the {} operator expects an argument list like [a, b]", op.as_str())))
            }
        }
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(']') && items.is_empty() {
                return Err(err_at(self.pos, "an argument list needs at least one value"));
            }
            let (pos, text) = self.parse_value(true, op)?;
            items.push(typed(subject, &text, pos)?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Arg::List(items));
                }
                None => {
                    return Err(err_at(self.pos, format!("missing \"]\" to close the list opened at position {open}")))
                }
                Some(_) => return Err(self.unexpected(self.pos)),
            }
        }
    }

    /// A quoted or bare value. Bare values end at whitespace, at `&&`/`||`, at a `)` that closes
    /// a parenthesis opened outside the value, and (inside a list) at `,` or `]`.
    fn parse_value(&mut self, in_list: bool, op: Op) -> ApiResult<(usize, String)> {
        self.skip_ws();
        let start = self.pos;
        let Some(ch) = self.peek() else {
            return Err(err_at(start, format!("expected a value after \"{}\"", op.as_str())));
        };
        if ch == '\'' || ch == '"' {
            let mut out = String::new();
            self.pos += 1;
            loop {
                match self.peek() {
                    None => return Err(err_at(start, format!("unterminated string (missing closing {ch})"))),
                    Some('\\') if self.peek_at(self.pos + 1) == Some(ch) => {
                        out.push(ch);
                        self.pos += 2;
                    }
                    Some(c) if c == ch => {
                        self.pos += 1;
                        return Ok((start, out));
                    }
                    Some(c) => {
                        out.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
        if ch == '[' && !in_list && !matches!(op, Op::Matches | Op::NotMatches) {
            return Err(err_at(
                start,
                format!("a list argument is only valid with in and not_in, not \"{}\"", op.as_str()),
            ));
        }
        let mut depth = 0usize;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            let next = self.peek_at(self.pos + 1);
            let stop = c.is_whitespace()
                || (c == ')' && depth == 0)
                || (in_list && (c == ',' || c == ']'))
                || ((c == '&' || c == '|') && next == Some(c));
            if stop {
                break;
            }
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth -= 1;
            }
            out.push(c);
            self.pos += 1;
        }
        if out.is_empty() {
            return Err(if self.at_end() {
                err_at(start, format!("expected a value after \"{}\"", op.as_str()))
            } else {
                self.unexpected(start)
            });
        }
        Ok((start, out))
    }
}

/// Type a literal for its subject, rejecting what the subject cannot be compared with.
fn typed(subject: &Subject, text: &str, pos: usize) -> ApiResult<Scalar> {
    match subject {
        Subject::AgentVersion => parse_version(text)
            .map(Scalar::Version)
            .ok_or_else(|| err_at(pos, format!("agentVersion needs a version like 1.14.5 (got \"{text}\")"))),
        Subject::RegisteredAt => parse_date(text).map(Scalar::Time).ok_or_else(|| {
            err_at(
                pos,
                format!("registeredAt needs a date like 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18 (got \"{text}\")"),
            )
        }),
        Subject::RunningTasksCount => text
            .parse::<u64>()
            .map(Scalar::Int)
            .map_err(|_| err_at(pos, format!("runningTasksCount needs a whole number (got \"{text}\")"))),
        _ => Ok(Scalar::Text(text.to_string())),
    }
}

fn parse_version(s: &str) -> Option<Vec<u64>> {
    let parts: Option<Vec<u64>> = s.split('.').map(|p| p.parse::<u64>().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 4)
}

/// Unix seconds of one of the documented `registeredAt` formats (date, or date and time with
/// seconds, with or without a zone), read by the engine's one ISO 8601 parser.
pub fn parse_date(s: &str) -> Option<i64> {
    let i = crate::calendar::parse_iso8601(s).ok()?;
    (!i.has_time || i.has_seconds).then(|| i.epoch_secs())
}

/// Order two values of the same subject. Text compares as numbers when both sides are numbers.
fn compare(a: &Scalar, b: &Scalar) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Text(x), Scalar::Text(y)) => match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(p), Ok(q)) => p.partial_cmp(&q),
            _ => Some(x.cmp(y)),
        },
        (Scalar::Version(x), Scalar::Version(y)) => {
            let n = x.len().max(y.len());
            let get = |v: &Vec<u64>, i: usize| v.get(i).copied().unwrap_or(0);
            Some((0..n).map(|i| get(x, i).cmp(&get(y, i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal))
        }
        (Scalar::Time(x), Scalar::Time(y)) => Some(x.cmp(y)),
        (Scalar::Int(x), Scalar::Int(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn equal(a: &Scalar, b: &Scalar) -> bool {
    match (a, b) {
        // "String equality": exact text, no numeric coercion.
        (Scalar::Text(x), Scalar::Text(y)) => x == y,
        _ => compare(a, b) == Some(Ordering::Equal),
    }
}

/// Tasks on the instance that count as "hosted" for `task:group`: not stopped and meant to keep
/// running (the same view `distinctInstance` takes).
pub fn hosted_tasks<'a>(instance: &'a ContainerInstance, tasks: &'a [Task]) -> impl Iterator<Item = &'a Task> + 'a {
    instance
        .tasks
        .iter()
        .filter_map(move |id| tasks.get(id.idx()))
        .filter(|t| t.is_live() && t.desired_status == DesiredStatus::Running)
}

fn values(subject: &Subject, inst: &ContainerInstance, tasks: &[Task]) -> Vec<Scalar> {
    match subject {
        // The agent is disconnected once the instance is gone (deregistered or terminated).
        Subject::AgentConnected => {
            vec![Scalar::Text((inst.status != crate::model::InstanceStatus::Inactive).to_string())]
        }
        Subject::AgentVersion => parse_version(AGENT_VERSION).map(Scalar::Version).into_iter().collect(),
        Subject::Attribute(name) => inst.attributes.get(name).map(|v| Scalar::Text(v.clone())).into_iter().collect(),
        Subject::Ec2InstanceId => vec![Scalar::Text(inst.ec2_instance_id.clone())],
        Subject::RegisteredAt => vec![Scalar::Time(SIM_EPOCH_UNIX + (inst.registered_at / 1000) as i64)],
        Subject::RunningTasksCount => {
            let n =
                inst.tasks.iter().filter_map(|id| tasks.get(id.idx())).filter(|t| t.last_status == TaskStatus::Running);
            vec![Scalar::Int(n.count() as u64)]
        }
        Subject::TaskGroup => {
            let groups: BTreeSet<&str> = hosted_tasks(inst, tasks).map(|t| t.group.as_str()).collect();
            groups.into_iter().map(|g| Scalar::Text(g.to_string())).collect()
        }
    }
}

impl Condition {
    fn holds(&self, inst: &ContainerInstance, tasks: &[Task]) -> bool {
        let vals = values(&self.subject, inst, tasks);
        match (&self.op, &self.arg) {
            (Op::Exists, _) => !vals.is_empty(),
            (Op::NotExists, _) => vals.is_empty(),
            (Op::In, Arg::List(list)) => vals.iter().any(|v| list.iter().any(|a| equal(v, a))),
            (Op::NotIn, Arg::List(list)) => vals.iter().any(|v| !list.iter().any(|a| equal(v, a))),
            (Op::Matches, Arg::Pattern(p)) => vals.iter().any(|v| matches!(v, Scalar::Text(t) if p.re.is_match(t))),
            (Op::NotMatches, Arg::Pattern(p)) => vals.iter().any(|v| matches!(v, Scalar::Text(t) if !p.re.is_match(t))),
            (op, Arg::One(a)) => vals.iter().any(|v| match op {
                Op::Eq => equal(v, a),
                Op::Ne => !equal(v, a),
                Op::Gt => compare(v, a) == Some(Ordering::Greater),
                Op::Ge => matches!(compare(v, a), Some(Ordering::Greater | Ordering::Equal)),
                Op::Lt => compare(v, a) == Some(Ordering::Less),
                Op::Le => matches!(compare(v, a), Some(Ordering::Less | Ordering::Equal)),
                _ => false,
            }),
            _ => false,
        }
    }
}

impl Expr {
    /// Whether an instance satisfies the expression, given the cluster's tasks.
    pub fn matches(&self, inst: &ContainerInstance, tasks: &[Task]) -> bool {
        match self {
            Expr::Or(a, b) => a.matches(inst, tasks) || b.matches(inst, tasks),
            Expr::And(a, b) => a.matches(inst, tasks) && b.matches(inst, tasks),
            Expr::Not(a) => !a.matches(inst, tasks),
            Expr::Cond(c) => c.holds(inst, tasks),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_documented_formats() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2025-01-01T00:00:00Z"), Some(SIM_EPOCH_UNIX));
        assert_eq!(parse_date("2018-06-18T22:28:28+00:00"), parse_date("2018-06-18T22:28:28Z"));
        assert_eq!(parse_date("2018-06-18T22:28:28"), parse_date("2018-06-18T22:28:28Z"));
        assert_eq!(parse_date("2018-06-18T23:28:28+01:00"), parse_date("2018-06-18T22:28:28Z"));
        assert_eq!(parse_date("2018-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn versions_compare_numerically() {
        let v = |s: &str| Scalar::Version(parse_version(s).unwrap_or_default());
        assert_eq!(compare(&v("1.9.0"), &v("1.14.5")), Some(Ordering::Less));
        assert!(equal(&v("1.14"), &v("1.14.0")));
    }
}
