//! Evaluation of Terraform expressions over the parsed files, as far as they can be known without
//! AWS: literals, `var.` (defaults and `.tfvars`), `local.`, string templates and heredocs,
//! operators, conditionals, `for` expressions, splats, the functions in `functions.rs`, `count` /
//! `for_each` with known values, and references between resources (`aws_lb_target_group.web.arn`),
//! whose computed attributes (ARNs, ids, URLs) follow the shapes AWS gives them.
//!
//! Evaluation is lazy: only what the scenario needs is evaluated, so an unresolvable attribute
//! nobody reads raises no warning. An expression that cannot be known yields `None` and records one
//! warning (file and line) at the innermost point that could not be resolved; what contains it
//! propagates `None` silently.
//!
//! References (Terraform language docs, "References to Named Values":
//! https://developer.hashicorp.com/terraform/language/expressions/references).

use super::functions;
use super::{Warning, ACCOUNT_ID};
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// One parsed `.tf` file.
pub(super) struct Parsed {
    pub name: String,
    pub body: Body,
    /// Byte offsets where lines start (for line numbers from spans).
    pub line_starts: Vec<usize>,
}

impl Parsed {
    pub fn new(name: String, text: &str, body: Body) -> Parsed {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Parsed { name, body, line_starts }
    }
    pub fn line(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// A `resource` block.
pub(super) struct ResDef<'a> {
    pub kind: String,
    pub name: String,
    pub file: usize,
    pub block: &'a Block,
}

/// Which instance of a resource (`count.index` or `each.key`).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum InstKey {
    Single,
    Index(usize),
    Key(String, Value),
}

impl InstKey {
    pub fn suffix(&self) -> String {
        match self {
            InstKey::Single => String::new(),
            InstKey::Index(i) => format!("[{i}]"),
            InstKey::Key(k, _) => format!("[\"{k}\"]"),
        }
    }
}

/// What names mean where an expression is written.
#[derive(Debug, Clone)]
pub(super) struct Scope {
    pub file: usize,
    pub inst: InstKey,
    /// `for` expression symbols and `dynamic` block iterators, innermost last.
    pub vars: Vec<(String, Value)>,
}

impl Scope {
    pub fn file(file: usize) -> Scope {
        Scope { file, inst: InstKey::Single, vars: Vec::new() }
    }
}

/// The module: every file's variables, locals, resources, data sources and module calls.
pub(super) struct Eval<'a> {
    pub files: &'a [Parsed],
    /// `variable` blocks: (file, default expression) by name.
    pub variables: BTreeMap<String, (usize, Option<&'a Expression>, usize)>,
    /// Values set in `.tfvars` files.
    pub tfvars: BTreeMap<String, (usize, &'a Expression)>,
    pub locals: BTreeMap<String, (usize, &'a Expression)>,
    pub resources: Vec<ResDef<'a>>,
    pub res_index: BTreeMap<(String, String), usize>,
    /// Other files given (e.g. JSON read by `file(...)`), by base name.
    pub raw_files: BTreeMap<String, String>,
    pub region: RefCell<String>,
    warnings: RefCell<Vec<Warning>>,
    warned: RefCell<BTreeSet<(String, usize, String)>>,
    silent: Cell<u32>,
    stack: RefCell<Vec<String>>,
    instances: RefCell<BTreeMap<usize, Option<Vec<InstKey>>>>,
    /// Availability Zone index of each `aws_subnet` instance (set by the builder), for subnet ids.
    pub subnet_az: RefCell<BTreeMap<String, usize>>,
}

const MAX_DEPTH: usize = 64;

impl<'a> Eval<'a> {
    pub fn new(files: &'a [Parsed], raw_files: BTreeMap<String, String>) -> Eval<'a> {
        let mut ev = Eval {
            files,
            variables: BTreeMap::new(),
            tfvars: BTreeMap::new(),
            locals: BTreeMap::new(),
            resources: Vec::new(),
            res_index: BTreeMap::new(),
            raw_files,
            region: RefCell::new("us-east-1".into()),
            warnings: RefCell::new(Vec::new()),
            warned: RefCell::new(BTreeSet::new()),
            silent: Cell::new(0),
            stack: RefCell::new(Vec::new()),
            instances: RefCell::new(BTreeMap::new()),
            subnet_az: RefCell::new(BTreeMap::new()),
        };
        for (fi, f) in files.iter().enumerate() {
            if f.name.ends_with(".tfvars") {
                for a in f.body.attributes() {
                    ev.tfvars.insert(a.key.as_str().to_string(), (fi, &a.value));
                }
                continue;
            }
            for b in f.body.blocks() {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                let line = ev.line_of(fi, b.span());
                match (b.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        let default = b.body.get_attribute("default").map(|a| &a.value);
                        ev.variables.insert(name.to_string(), (fi, default, line));
                    }
                    ("locals", []) => {
                        for a in b.body.attributes() {
                            ev.locals.insert(a.key.as_str().to_string(), (fi, &a.value));
                        }
                    }
                    ("resource", [kind, name]) => {
                        let key = (kind.to_string(), name.to_string());
                        if ev.res_index.contains_key(&key) {
                            ev.warn_at(
                                fi,
                                line,
                                format!("resource \"{kind}\" \"{name}\" is declared twice; the second is ignored"),
                            );
                            continue;
                        }
                        ev.res_index.insert(key, ev.resources.len());
                        ev.resources.push(ResDef {
                            kind: kind.to_string(),
                            name: name.to_string(),
                            file: fi,
                            block: b,
                        });
                    }
                    _ => {}
                }
            }
        }
        ev
    }

    pub fn into_warnings(self) -> Vec<Warning> {
        self.warnings.into_inner()
    }

    pub fn line_of(&self, file: usize, span: Option<Range<usize>>) -> usize {
        match (self.files.get(file), span) {
            (Some(f), Some(s)) => f.line(s.start),
            _ => 0,
        }
    }

    pub fn file_name(&self, file: usize) -> String {
        self.files.get(file).map(|f| f.name.clone()).unwrap_or_default()
    }

    /// Records a warning once per file, line and text (unless inside `try`/`can` or an eager
    /// evaluation that may drop what it cannot know).
    pub fn warn_at(&self, file: usize, line: usize, message: String) {
        if self.silent.get() > 0 {
            return;
        }
        let name = self.file_name(file);
        if self.warned.borrow_mut().insert((name.clone(), line, message.clone())) {
            self.warnings.borrow_mut().push(Warning { file: name, line, message });
        }
    }

    pub fn warn(&self, file: usize, span: Option<Range<usize>>, message: String) {
        let line = self.line_of(file, span);
        self.warn_at(file, line, message);
    }

    /// Runs `f` with warnings muted.
    pub fn quietly<T>(&self, f: impl FnOnce() -> T) -> T {
        self.silent.set(self.silent.get() + 1);
        let r = f();
        self.silent.set(self.silent.get().saturating_sub(1));
        r
    }

    fn enter(&self, key: String, file: usize, span: Option<Range<usize>>) -> bool {
        let mut st = self.stack.borrow_mut();
        if st.contains(&key) || st.len() >= MAX_DEPTH {
            drop(st);
            self.warn(file, span, format!("{key} refers to itself (a cycle); it cannot be resolved"));
            return false;
        }
        st.push(key);
        true
    }

    fn leave(&self) {
        self.stack.borrow_mut().pop();
    }

    // ----- named values -------------------------------------------------------------------

    fn variable(&self, name: &str, sc: &Scope, span: Option<Range<usize>>) -> Option<Value> {
        if let Some((fi, e)) = self.tfvars.get(name) {
            return self.eval(e, &Scope::file(*fi));
        }
        match self.variables.get(name) {
            Some((fi, Some(e), _)) => {
                if !self.enter(format!("var.{name}"), sc.file, span.clone()) {
                    return None;
                }
                let v = self.eval(e, &Scope::file(*fi));
                self.leave();
                v
            }
            Some((fi, None, line)) => {
                self.warn_at(
                    *fi,
                    *line,
                    format!("var.{name} has no default and no .tfvars value; what uses it is left out"),
                );
                None
            }
            None => {
                self.warn(sc.file, span, format!("var.{name} is not declared in these files"));
                None
            }
        }
    }

    fn local(&self, name: &str, sc: &Scope, span: Option<Range<usize>>) -> Option<Value> {
        let Some((fi, e)) = self.locals.get(name) else {
            self.warn(sc.file, span, format!("local.{name} is not declared in these files"));
            return None;
        };
        if !self.enter(format!("local.{name}"), sc.file, span.clone()) {
            return None;
        }
        let v = self.eval(e, &Scope::file(*fi));
        self.leave();
        v
    }

    // ----- resources ----------------------------------------------------------------------

    /// The instances of resource `ri`: one, `count` of them, or one per `for_each` key; `None`
    /// when `count`/`for_each` cannot be known (warned once).
    pub fn instances(&self, ri: usize) -> Option<Vec<InstKey>> {
        if let Some(c) = self.instances.borrow().get(&ri) {
            return c.clone();
        }
        let r = &self.resources[ri];
        let sc = Scope::file(r.file);
        let addr = format!("{}.{}", r.kind, r.name);
        let result = if let Some(a) = r.block.body.get_attribute("count") {
            match self.eval(&a.value, &sc).as_ref().and_then(functions::as_f64) {
                Some(n) if (0.0..=1000.0).contains(&n) => Some((0..n as usize).map(InstKey::Index).collect()),
                Some(_) => {
                    self.warn(
                        r.file,
                        a.value.span(),
                        format!("{addr}: count must be a whole number from 0 to 1000 here"),
                    );
                    None
                }
                None => {
                    self.warn(
                        r.file,
                        a.value.span(),
                        format!(
                            "{addr}: count depends on a value known only to AWS or not given; the resource is left out"
                        ),
                    );
                    None
                }
            }
        } else if let Some(a) = r.block.body.get_attribute("for_each") {
            match self.eval(&a.value, &sc) {
                Some(Value::Object(m)) => Some(m.into_iter().map(|(k, v)| InstKey::Key(k, v)).collect()),
                Some(Value::Array(items)) => {
                    let mut keys = Vec::new();
                    for it in items {
                        match functions::as_string(&it) {
                            Some(s) if !keys.iter().any(|k| matches!(k, InstKey::Key(x, _) if *x == s)) => {
                                keys.push(InstKey::Key(s.clone(), Value::String(s)))
                            }
                            Some(_) => {}
                            None => {
                                self.warn(r.file, a.value.span(), format!("{addr}: for_each over a set needs strings"));
                                return None;
                            }
                        }
                    }
                    keys.sort_by_key(|k| k.suffix());
                    Some(keys)
                }
                Some(_) => {
                    self.warn(r.file, a.value.span(), format!("{addr}: for_each needs a map or a set of strings"));
                    None
                }
                None => {
                    self.warn(
                        r.file,
                        a.value.span(),
                        format!("{addr}: for_each depends on a value known only to AWS or not given; the resource is left out"),
                    );
                    None
                }
            }
        } else {
            Some(vec![InstKey::Single])
        };
        self.instances.borrow_mut().insert(ri, result.clone());
        result
    }

    pub fn res_scope(&self, ri: usize, key: &InstKey) -> Scope {
        Scope { file: self.resources[ri].file, inst: key.clone(), vars: Vec::new() }
    }

    /// The name AWS knows resource `ri` by: its `name` argument, else its `name_prefix`, else
    /// (as Terraform would generate one) its label.
    pub fn res_name(&self, ri: usize, key: &InstKey) -> String {
        let r = &self.resources[ri];
        let sc = self.res_scope(ri, key);
        let name_attr = match r.kind.as_str() {
            "aws_ecs_task_definition" => "family",
            "aws_iam_role" | "aws_iam_policy" => "name",
            _ => "name",
        };
        if let Some(a) = r.block.body.get_attribute(name_attr) {
            if let Some(s) = self.eval(&a.value, &sc).as_ref().and_then(functions::as_string) {
                return s;
            }
        }
        if let Some(a) = r.block.body.get_attribute("name_prefix") {
            if let Some(s) = self.eval(&a.value, &sc).as_ref().and_then(functions::as_string) {
                return format!("{s}{}", &crate::log::fnv1a64(r.name.as_bytes())[..8]);
            }
        }
        let base = r.name.replace('_', "-");
        match key {
            InstKey::Single => base,
            InstKey::Index(i) => format!("{base}-{i}"),
            InstKey::Key(k, _) => format!("{base}-{k}"),
        }
    }

    /// A short stable hex id for a resource instance (for ids AWS would generate).
    fn hex_id(&self, ri: usize, key: &InstKey, len: usize) -> String {
        let r = &self.resources[ri];
        let h = crate::log::fnv1a64(format!("{}.{}{}", r.kind, r.name, key.suffix()).as_bytes());
        h[..len.min(h.len())].to_string()
    }

    /// Attributes AWS computes, in the shapes it gives them (provider docs, "Attribute Reference"
    /// of each resource). `None` when the resource type has no such computed attribute.
    fn computed(&self, ri: usize, key: &InstKey, attr: &str) -> Option<Value> {
        let r = &self.resources[ri];
        let region = self.region.borrow().clone();
        let acct = ACCOUNT_ID;
        let name = || self.res_name(ri, key);
        let s = |x: String| Some(Value::String(x));
        match (r.kind.as_str(), attr) {
            ("aws_ecs_cluster", "arn" | "id") => s(format!("arn:aws:ecs:{region}:{acct}:cluster/{}", name())),
            ("aws_ecs_task_definition", "arn") => {
                s(format!("arn:aws:ecs:{region}:{acct}:task-definition/{}:1", name()))
            }
            ("aws_ecs_task_definition", "arn_without_revision") => {
                s(format!("arn:aws:ecs:{region}:{acct}:task-definition/{}", name()))
            }
            ("aws_ecs_task_definition", "revision") => Some(Value::from(1)),
            ("aws_ecs_task_definition", "id") => s(name()),
            ("aws_ecs_service", "id" | "arn") => {
                let cluster = self.res_arg_string(ri, key, "cluster").unwrap_or_else(|| "default".into());
                let cluster = cluster.rsplit('/').next().unwrap_or(&cluster).to_string();
                s(format!("arn:aws:ecs:{region}:{acct}:service/{cluster}/{}", name()))
            }
            ("aws_ecs_capacity_provider", "arn" | "id") => {
                s(format!("arn:aws:ecs:{region}:{acct}:capacity-provider/{}", name()))
            }
            ("aws_ecs_cluster_capacity_providers", "id") => self.res_arg(ri, key, "cluster_name"),
            ("aws_lb_target_group", "arn" | "id") => s(format!(
                "arn:aws:elasticloadbalancing:{region}:{acct}:targetgroup/{}/{}",
                name(),
                self.hex_id(ri, key, 16)
            )),
            ("aws_lb_target_group", "arn_suffix") => s(format!("targetgroup/{}/{}", name(), self.hex_id(ri, key, 16))),
            ("aws_lb" | "aws_alb", "arn" | "id") => s(format!(
                "arn:aws:elasticloadbalancing:{region}:{acct}:loadbalancer/app/{}/{}",
                name(),
                self.hex_id(ri, key, 16)
            )),
            ("aws_lb" | "aws_alb", "arn_suffix") => s(format!("app/{}/{}", name(), self.hex_id(ri, key, 16))),
            ("aws_lb" | "aws_alb", "dns_name") => {
                s(format!("{}-{}.{region}.elb.amazonaws.com", name(), &self.hex_id(ri, key, 10)))
            }
            ("aws_lb_listener" | "aws_alb_listener", "arn" | "id") => s(format!(
                "arn:aws:elasticloadbalancing:{region}:{acct}:listener/app/{}/{}",
                r.name,
                self.hex_id(ri, key, 16)
            )),
            // A listener rule's ARN ends in an id AWS generates; here it ends in the rule's `Name`
            // tag (or its resource name), the short name a playground scenario gives a rule, so an
            // exported scenario's rules come back under the names its services use.
            ("aws_lb_listener_rule" | "aws_alb_listener_rule", "arn" | "id") => {
                let tag = self.res_arg(ri, key, "tags").and_then(|t| t.get("Name").and_then(functions::as_string));
                s(format!(
                    "arn:aws:elasticloadbalancing:{region}:{acct}:listener-rule/app/{}/{}/{}",
                    self.hex_id(ri, key, 16),
                    &self.hex_id(ri, key, 16)[..8],
                    tag.unwrap_or_else(|| r.name.clone())
                ))
            }
            ("aws_iam_role", "arn") => s(format!("arn:aws:iam::{acct}:role/{}", name())),
            ("aws_iam_role", "id") => s(name()),
            ("aws_iam_role", "unique_id") => s(format!("AROA{}", self.hex_id(ri, key, 16).to_uppercase())),
            ("aws_iam_policy", "arn" | "id") => s(format!("arn:aws:iam::{acct}:policy/{}", name())),
            ("aws_subnet", "id") => {
                let addr = format!("{}.{}{}", r.kind, r.name, key.suffix());
                let az = self.subnet_az.borrow().get(&addr).copied();
                match az {
                    Some(i) => s(crate::terraform_import::subnet_id(i)),
                    None => s(format!("subnet-{}", self.hex_id(ri, key, 17))),
                }
            }
            ("aws_subnet", "arn") => s(format!("arn:aws:ec2:{region}:{acct}:subnet/{}", self.hex_id(ri, key, 17))),
            ("aws_vpc", "id") => s(format!("vpc-{}", self.hex_id(ri, key, 17))),
            ("aws_security_group", "id") => s(format!("sg-{}", self.hex_id(ri, key, 17))),
            ("aws_autoscaling_group", "arn") => s(format!(
                "arn:aws:autoscaling:{region}:{acct}:autoScalingGroup:{}:autoScalingGroupName/{}",
                crate::capacity::config::uuid_like(&name()),
                name()
            )),
            ("aws_autoscaling_group", "id" | "name") => s(name()),
            ("aws_launch_template", "id") => s(format!("lt-{}", self.hex_id(ri, key, 17))),
            ("aws_launch_template", "latest_version" | "default_version") => Some(Value::from(1)),
            ("aws_ecr_repository", "repository_url") => s(format!("{acct}.dkr.ecr.{region}.amazonaws.com/{}", name())),
            ("aws_ecr_repository", "arn") => s(format!("arn:aws:ecr:{region}:{acct}:repository/{}", name())),
            ("aws_ecr_repository", "registry_id") => s(acct.to_string()),
            ("aws_cloudwatch_log_group", "arn") => s(format!("arn:aws:logs:{region}:{acct}:log-group:{}", name())),
            ("aws_appautoscaling_policy", "arn") => {
                let rid = self.res_arg_string(ri, key, "resource_id").unwrap_or_default();
                let ns = self.res_arg_string(ri, key, "service_namespace").unwrap_or_else(|| "ecs".into());
                s(format!(
                    "arn:aws:autoscaling:{region}:{acct}:scalingPolicy:{}:resource/{ns}/{rid}:policyName/{}",
                    crate::capacity::config::uuid_like(&rid),
                    name()
                ))
            }
            ("aws_appautoscaling_target" | "aws_appautoscaling_policy", "id") => self.res_arg(ri, key, "resource_id"),
            (_, "name") => s(name()),
            (_, "id") => {
                s(format!("{}-{}", r.kind.trim_start_matches("aws_").replace('_', "-"), self.hex_id(ri, key, 12)))
            }
            (_, "arn") => s(format!(
                "arn:aws:{}:{region}:{acct}:{}/{}",
                r.kind.trim_start_matches("aws_").split('_').next().unwrap_or("aws"),
                r.kind.trim_start_matches("aws_"),
                name()
            )),
            _ => None,
        }
    }

    /// An argument of resource `ri` as written (evaluated in the resource's scope).
    pub fn res_arg(&self, ri: usize, key: &InstKey, attr: &str) -> Option<Value> {
        let r = &self.resources[ri];
        let a = r.block.body.get_attribute(attr)?;
        let addr = format!("{}.{}{}.{attr}", r.kind, r.name, key.suffix());
        if !self.enter(addr, r.file, a.value.span()) {
            return None;
        }
        let v = self.eval(&a.value, &self.res_scope(ri, key));
        self.leave();
        v
    }

    fn res_arg_string(&self, ri: usize, key: &InstKey, attr: &str) -> Option<String> {
        self.quietly(|| self.res_arg(ri, key, attr)).as_ref().and_then(functions::as_string)
    }

    /// `<type>.<name>[key].<attr>`: an argument, else an attribute AWS computes.
    fn res_attr(&self, ri: usize, key: &InstKey, attr: &str, sc: &Scope, span: Option<Range<usize>>) -> Option<Value> {
        let r = &self.resources[ri];
        let computed_first = matches!(attr, "arn" | "id");
        if computed_first {
            if let Some(v) = self.computed(ri, key, attr) {
                return Some(v);
            }
        }
        if r.block.body.get_attribute(attr).is_some() {
            return self.res_arg(ri, key, attr);
        }
        if let Some(v) = self.computed(ri, key, attr) {
            return Some(v);
        }
        // A nested block read as an attribute (e.g. `...health_check[0].path`).
        let blocks: Vec<&Block> = r.block.body.get_blocks(attr).collect();
        if !blocks.is_empty() {
            let rs = self.res_scope(ri, key);
            let items: Vec<Value> = blocks.iter().map(|b| self.body_object(&b.body, &rs)).collect();
            return Some(Value::Array(items));
        }
        self.warn(
            sc.file,
            span,
            format!("{}.{}{}.{attr} is known only after AWS creates the resource", r.kind, r.name, key.suffix()),
        );
        None
    }

    /// A block body as an object of what can be known in it (quietly: unknown parts are dropped).
    fn body_object(&self, body: &Body, sc: &Scope) -> Value {
        self.quietly(|| {
            let mut m = Map::new();
            for a in body.attributes() {
                if let Some(v) = self.eval(&a.value, sc) {
                    m.insert(a.key.as_str().to_string(), v);
                }
            }
            for b in body.blocks() {
                let v = self.body_object(&b.body, sc);
                if let Value::Array(items) =
                    m.entry(b.ident.as_str().to_string()).or_insert_with(|| Value::Array(vec![]))
                {
                    items.push(v);
                }
            }
            Value::Object(m)
        })
    }

    /// A whole resource instance as an object (for `for r in aws_subnet.private : r.id`).
    fn res_object(&self, ri: usize, key: &InstKey) -> Value {
        let r = &self.resources[ri];
        let mut v = self.body_object(&r.block.body, &self.res_scope(ri, key));
        if let Value::Object(m) = &mut v {
            for attr in ["id", "arn", "name", "repository_url", "dns_name", "arn_suffix"] {
                if let Some(c) = self.computed(ri, key, attr) {
                    if attr == "name" && m.contains_key("name") {
                        continue;
                    }
                    m.insert(attr.to_string(), c);
                }
            }
        }
        v
    }

    fn resource_ref(
        &self,
        ri: usize,
        ops: &[TraversalOperator],
        sc: &Scope,
        span: Option<Range<usize>>,
    ) -> Option<Value> {
        let insts = self.instances(ri)?;
        let single = insts.len() == 1 && insts[0] == InstKey::Single;
        if single {
            return self.instance_ops(ri, &insts[0], ops, sc, span);
        }
        let r = &self.resources[ri];
        match ops.first() {
            Some(TraversalOperator::Index(e)) => {
                let k = self.eval(e, sc)?;
                let key = insts.iter().find(|i| match (i, &k) {
                    (InstKey::Index(n), k) => functions::as_f64(k) == Some(*n as f64),
                    (InstKey::Key(s, _), k) => functions::as_string(k).as_deref() == Some(s.as_str()),
                    _ => false,
                });
                match key {
                    Some(key) => self.instance_ops(ri, key, &ops[1..], sc, span),
                    None => {
                        self.warn(
                            sc.file,
                            span,
                            format!("{}.{}[{}] does not exist", r.kind, r.name, functions::display(&k)),
                        );
                        None
                    }
                }
            }
            Some(TraversalOperator::LegacyIndex(n)) => {
                let n = **n as usize;
                match insts.get(n) {
                    Some(key) => self.instance_ops(ri, key, &ops[1..], sc, span),
                    None => {
                        self.warn(sc.file, span, format!("{}.{}[{n}] does not exist", r.kind, r.name));
                        None
                    }
                }
            }
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                let mut out = Vec::new();
                for k in &insts {
                    out.push(self.instance_ops(ri, k, &ops[1..], sc, span.clone())?);
                }
                Some(Value::Array(out))
            }
            None => {
                if insts.iter().any(|k| matches!(k, InstKey::Key(..))) {
                    let mut m = Map::new();
                    for k in &insts {
                        if let InstKey::Key(s, _) = k {
                            m.insert(s.clone(), self.res_object(ri, k));
                        }
                    }
                    Some(Value::Object(m))
                } else {
                    Some(Value::Array(insts.iter().map(|k| self.res_object(ri, k)).collect()))
                }
            }
            Some(TraversalOperator::GetAttr(a)) => {
                self.warn(
                    sc.file,
                    span,
                    format!(
                        "{}.{} has several instances (count/for_each): write {}.{}[0].{} or [*]",
                        r.kind,
                        r.name,
                        r.kind,
                        r.name,
                        a.as_str()
                    ),
                );
                None
            }
        }
    }

    fn instance_ops(
        &self,
        ri: usize,
        key: &InstKey,
        ops: &[TraversalOperator],
        sc: &Scope,
        span: Option<Range<usize>>,
    ) -> Option<Value> {
        match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => {
                let v = self.res_attr(ri, key, a.as_str(), sc, span.clone())?;
                self.apply_ops(v, &ops[1..], sc, span)
            }
            None => Some(self.res_object(ri, key)),
            Some(_) => {
                let v = self.res_object(ri, key);
                self.apply_ops(v, ops, sc, span)
            }
        }
    }

    // ----- expressions --------------------------------------------------------------------

    pub fn eval(&self, e: &Expression, sc: &Scope) -> Option<Value> {
        match e {
            Expression::Null(_) => Some(Value::Null),
            Expression::Bool(b) => Some(Value::Bool(**b)),
            Expression::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Some(Value::from(i))
                } else {
                    n.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number)
                }
            }
            Expression::String(s) => Some(Value::String(s.as_str().to_string())),
            Expression::Array(a) => {
                let mut out = Vec::new();
                for x in a.iter() {
                    out.push(self.eval(x, sc)?);
                }
                Some(Value::Array(out))
            }
            Expression::Object(o) => {
                let mut m = Map::new();
                let mut complete = true;
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => Some(i.as_str().to_string()),
                        ObjectKey::Expression(Expression::Variable(i)) => Some(i.as_str().to_string()),
                        ObjectKey::Expression(x) => self.eval(x, sc).as_ref().and_then(functions::as_string),
                    };
                    match (key, self.eval(v.expr(), sc)) {
                        (Some(k), Some(v)) => {
                            m.insert(k, v);
                        }
                        _ => complete = false,
                    }
                }
                complete.then_some(Value::Object(m))
            }
            Expression::StringTemplate(t) => self.template(t, sc),
            Expression::HeredocTemplate(h) => self.template(&h.template, sc),
            Expression::Parenthesis(p) => self.eval(p.inner(), sc),
            Expression::Variable(v) => {
                let name = v.as_str();
                if let Some((_, val)) = sc.vars.iter().rev().find(|(n, _)| n == name) {
                    return Some(val.clone());
                }
                self.warn(sc.file, e.span(), format!("\"{name}\" is not a value Terraform knows here"));
                None
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, sc)?;
                match cond {
                    Value::Bool(true) => self.eval(&c.true_expr, sc),
                    Value::Bool(false) => self.eval(&c.false_expr, sc),
                    Value::String(s) if s == "true" => self.eval(&c.true_expr, sc),
                    Value::String(s) if s == "false" => self.eval(&c.false_expr, sc),
                    _ => {
                        self.warn(sc.file, c.cond_expr.span(), "the condition is not a bool".into());
                        None
                    }
                }
            }
            Expression::FuncCall(f) => self.call(f, sc, e.span()),
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, sc, e.span()),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, sc)?;
                match *u.operator.value() {
                    UnaryOperator::Neg => functions::as_f64(&v).map(|x| functions::num(-x)),
                    UnaryOperator::Not => functions::as_bool(&v).map(|b| Value::Bool(!b)),
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                // && and || short-circuit, as Terraform does for known values.
                let l = self.eval(&b.lhs_expr, sc)?;
                if op == BinaryOperator::And && functions::as_bool(&l) == Some(false) {
                    return Some(Value::Bool(false));
                }
                if op == BinaryOperator::Or && functions::as_bool(&l) == Some(true) {
                    return Some(Value::Bool(true));
                }
                let r = self.eval(&b.rhs_expr, sc)?;
                let out = functions::binary(op, &l, &r);
                if out.is_none() {
                    self.warn(sc.file, e.span(), format!("cannot apply {} to these values", op.as_str()));
                }
                out
            }
            Expression::ForExpr(f) => {
                let coll = self.eval(&f.intro.collection_expr, sc)?;
                let pairs: Vec<(Value, Value)> = match coll {
                    Value::Array(items) => items.into_iter().enumerate().map(|(i, v)| (Value::from(i), v)).collect(),
                    Value::Object(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
                    _ => {
                        self.warn(sc.file, f.intro.collection_expr.span(), "for needs a list, set or map".into());
                        return None;
                    }
                };
                let mut list = Vec::new();
                let mut map = Map::new();
                for (k, v) in pairs {
                    let mut inner = sc.clone();
                    if let Some(kv) = &f.intro.key_var {
                        inner.vars.push((kv.as_str().to_string(), k));
                    }
                    inner.vars.push((f.intro.value_var.as_str().to_string(), v));
                    if let Some(c) = &f.cond {
                        if functions::as_bool(&self.eval(&c.expr, &inner)?) != Some(true) {
                            continue;
                        }
                    }
                    let val = self.eval(&f.value_expr, &inner)?;
                    match &f.key_expr {
                        Some(ke) => {
                            let key = self.eval(ke, &inner).as_ref().and_then(functions::as_string)?;
                            if f.grouping {
                                if let Value::Array(a) = map.entry(key).or_insert_with(|| Value::Array(vec![])) {
                                    a.push(val);
                                }
                            } else {
                                map.insert(key, val);
                            }
                        }
                        None => list.push(val),
                    }
                }
                Some(if f.key_expr.is_some() { Value::Object(map) } else { Value::Array(list) })
            }
        }
    }

    fn template(&self, t: &Template, sc: &Scope) -> Option<Value> {
        // A template of one interpolation keeps its value's type ("${var.count}" is a number).
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr, sc);
        }
        let mut out = String::new();
        for el in elements {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, sc)?;
                    match functions::as_string(&v) {
                        Some(s) => out.push_str(&s),
                        None => {
                            self.warn(
                                sc.file,
                                i.expr.span(),
                                "a list or object cannot be interpolated in a string".into(),
                            );
                            return None;
                        }
                    }
                }
                Element::Directive(d) => {
                    self.warn(sc.file, d.span(), "%{if}/%{for} template directives are not evaluated here".into());
                    return None;
                }
            }
        }
        Some(Value::String(out))
    }

    fn traversal(
        &self,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Option<Range<usize>>,
    ) -> Option<Value> {
        let ops: Vec<TraversalOperator> = ops.iter().map(|o| o.value().clone()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str().to_string()),
            _ => None,
        };
        let Expression::Variable(v) = root else {
            let base = self.eval(root, sc)?;
            return self.apply_ops(base, &ops, sc, span);
        };
        let name = v.as_str();
        if let Some((_, val)) = sc.vars.iter().rev().find(|(n, _)| n == name) {
            return self.apply_ops(val.clone(), &ops, sc, span);
        }
        match name {
            "var" => {
                let n = attr(0)?;
                let base = self.variable(&n, sc, span.clone())?;
                self.apply_ops(base, &ops[1..], sc, span)
            }
            "local" => {
                let n = attr(0)?;
                let base = self.local(&n, sc, span.clone())?;
                self.apply_ops(base, &ops[1..], sc, span)
            }
            "count" => match (&sc.inst, attr(0).as_deref()) {
                (InstKey::Index(i), Some("index")) => Some(Value::from(*i)),
                _ => {
                    self.warn(sc.file, span, "count.index is only known inside a resource with count".into());
                    None
                }
            },
            "each" => match (&sc.inst, attr(0).as_deref()) {
                (InstKey::Key(k, _), Some("key")) => Some(Value::String(k.clone())),
                (InstKey::Key(_, v), Some("value")) => self.apply_ops(v.clone(), &ops[1..], sc, span),
                _ => {
                    self.warn(
                        sc.file,
                        span,
                        "each.key/each.value are only known inside a resource with for_each".into(),
                    );
                    None
                }
            },
            "path" => Some(Value::String(".".into())),
            "terraform" => Some(Value::String("default".into())),
            "data" => {
                let what = format!("data.{}.{}", attr(0).unwrap_or_default(), attr(1).unwrap_or_default());
                self.warn(
                    sc.file,
                    span,
                    format!("{what} is read from AWS when Terraform plans; the playground cannot read it, so what uses it is left out"),
                );
                None
            }
            "module" => {
                self.warn(
                    sc.file,
                    span,
                    format!(
                        "module.{} outputs come from a module that is not expanded here; what uses them is left out",
                        attr(0).unwrap_or_default()
                    ),
                );
                None
            }
            kind => {
                let rname = attr(0);
                match rname.and_then(|n| self.res_index.get(&(kind.to_string(), n)).copied()) {
                    Some(ri) => self.resource_ref(ri, &ops[1..], sc, span),
                    None => {
                        let shown = match attr(0) {
                            Some(n) => format!("{kind}.{n}"),
                            None => kind.to_string(),
                        };
                        self.warn(sc.file, span, format!("{shown} is not declared in these files"));
                        None
                    }
                }
            }
        }
    }

    fn apply_ops(
        &self,
        mut v: Value,
        ops: &[TraversalOperator],
        sc: &Scope,
        span: Option<Range<usize>>,
    ) -> Option<Value> {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                TraversalOperator::GetAttr(a) => match v {
                    Value::Object(mut m) => match m.remove(a.as_str()) {
                        Some(x) => x,
                        None => {
                            self.warn(sc.file, span, format!("no attribute \"{}\"", a.as_str()));
                            return None;
                        }
                    },
                    _ => {
                        self.warn(sc.file, span, format!("\"{}\" read from a value that is not an object", a.as_str()));
                        return None;
                    }
                },
                TraversalOperator::Index(e) => {
                    let k = self.eval(e, sc)?;
                    self.index(v, &k, sc, span.clone())?
                }
                TraversalOperator::LegacyIndex(n) => self.index(v, &Value::from(**n), sc, span.clone())?,
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match v {
                        Value::Array(a) => a,
                        Value::Null => vec![],
                        other => vec![other],
                    };
                    let mut out = Vec::new();
                    for it in items {
                        out.push(self.apply_ops(it, &ops[i + 1..], sc, span.clone())?);
                    }
                    return Some(Value::Array(out));
                }
            };
        }
        Some(v)
    }

    fn index(&self, v: Value, k: &Value, sc: &Scope, span: Option<Range<usize>>) -> Option<Value> {
        let got = match v {
            Value::Array(mut a) => functions::as_f64(k).and_then(|n| {
                let n = n as usize;
                (n < a.len()).then(|| a.swap_remove(n))
            }),
            Value::Object(mut m) => functions::as_string(k).and_then(|s| m.remove(&s)),
            _ => None,
        };
        if got.is_none() {
            self.warn(sc.file, span, format!("no element [{}]", functions::display(k)));
        }
        got
    }

    fn call(&self, f: &hcl_edit::expr::FuncCall, sc: &Scope, span: Option<Range<usize>>) -> Option<Value> {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            self.warn(sc.file, span, format!("provider function {name} is not evaluated here"));
            return None;
        }
        match name {
            // try(a, b, ...): the first argument that evaluates; can(x): whether it does.
            "try" => {
                for a in f.args.iter() {
                    if let Some(v) = self.quietly(|| self.eval(a, sc)) {
                        return Some(v);
                    }
                }
                self.warn(sc.file, span, "no argument of try() could be evaluated".into());
                None
            }
            "can" => Some(Value::Bool(f.args.iter().next().and_then(|a| self.quietly(|| self.eval(a, sc))).is_some())),
            "file" => {
                let p = f.args.iter().next().and_then(|a| self.eval(a, sc)).as_ref().and_then(functions::as_string)?;
                let base = p.rsplit(['/', '\\']).next().unwrap_or(&p).to_string();
                match self.raw_files.get(&base) {
                    Some(t) => Some(Value::String(t.clone())),
                    None => {
                        self.warn(sc.file, span, format!("file(\"{p}\"): {base} was not given with the .tf files"));
                        None
                    }
                }
            }
            _ => {
                let mut args = Vec::new();
                for a in f.args.iter() {
                    args.push(self.eval(a, sc)?);
                }
                let expand = f.args.expand_final();
                if expand {
                    if let Some(Value::Array(last)) = args.pop() {
                        args.extend(last);
                    }
                }
                match functions::call(name, &args) {
                    Ok(v) => Some(v),
                    Err(msg) => {
                        self.warn(sc.file, span, format!("{name}(): {msg}"));
                        None
                    }
                }
            }
        }
    }
}
