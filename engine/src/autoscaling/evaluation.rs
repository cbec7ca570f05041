//! Evaluating the autoscaler: scheduled actions that are due, alarms over the minute's
//! datapoints, the proposals of every policy, the rules that span policies, and cooldowns.

use super::state::*;
use super::{step_scaling, target_tracking, AutoScaler};
use crate::time::SimTime;
use std::collections::BTreeMap;

impl AutoScaler {
    /// Run every scheduled action due at or before `now` (each fires once even if several of its
    /// occurrences were overdue). `inputs` supply the current desired counts.
    pub fn run_scheduled(&mut self, now: SimTime, inputs: &[ServiceInput]) -> Vec<ScalingOutput> {
        let mut desired: BTreeMap<String, u32> =
            inputs.iter().map(|i| (i.resource_id.clone(), i.current_desired)).collect();
        self.run_scheduled_with(now, &mut desired)
    }

    fn run_scheduled_with(&mut self, now: SimTime, desired: &mut BTreeMap<String, u32>) -> Vec<ScalingOutput> {
        let mut out = vec![];
        let start = self.start;
        // Due actions in order of due time, then definition order.
        let mut due: Vec<(SimTime, usize)> = self
            .scheduled
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.next_due.filter(|t| *t <= now).map(|t| (t, i)))
            .collect();
        due.sort();
        for (_, i) in due {
            let Some(sa) = self.scheduled.get_mut(i) else { continue };
            sa.next_due = sa.occurrence_at_or_after(start, now.saturating_add(1));
            let (name, resource_id, new_min, new_max) = (sa.name.clone(), sa.resource_id.clone(), sa.min, sa.max);
            let Some(target) = self.targets.get_mut(&resource_id) else { continue };
            if target.suspended.scheduled_scaling_suspended {
                continue;
            }
            let (old_min, old_max) = (target.min, target.max);
            target.min = new_min.unwrap_or(target.min);
            target.max = new_max.unwrap_or(target.max);
            // A one-sided action may cross the other bound; keep the range well formed by moving it.
            if target.min > target.max {
                if new_min.is_some() {
                    target.max = target.min;
                } else {
                    target.min = target.max;
                }
            }
            out.push(ScalingOutput::CapacityRangeChange(CapacityRangeChange {
                resource_id: resource_id.clone(),
                scheduled_action_name: name.clone(),
                old_min,
                old_max,
                min: target.min,
                max: target.max,
            }));
            if let Some(cur) = desired.get_mut(&resource_id) {
                let to = (*cur).clamp(target.min, target.max);
                if to != *cur {
                    out.push(ScalingOutput::ScalingActivity(ScalingActivity {
                        resource_id: resource_id.clone(),
                        from: *cur,
                        to,
                        description: format!("Setting desired count to {to}."),
                        cause: format!("scheduled action name {name} was triggered"),
                        policy_name: None,
                        scheduled_action_name: Some(name.clone()),
                    }));
                    *cur = to;
                }
            }
        }
        out
    }

    /// Evaluate one simulated minute ending at `now`: run due scheduled actions, add each service's
    /// datapoints to its alarms, then invoke the policies whose alarms are in ALARM. Services not in
    /// `inputs` get no datapoints (missing data) and no scaling.
    pub fn evaluate(&mut self, now: SimTime, inputs: &[ServiceInput]) -> Vec<ScalingOutput> {
        let mut desired: BTreeMap<String, u32> =
            inputs.iter().map(|i| (i.resource_id.clone(), i.current_desired)).collect();
        let measured: BTreeMap<&str, u32> =
            inputs.iter().map(|i| (i.resource_id.as_str(), i.measured_capacity.unwrap_or(i.current_desired))).collect();
        let deploying: BTreeMap<&str, bool> =
            inputs.iter().map(|i| (i.resource_id.as_str(), i.deployment_in_progress)).collect();
        let mut out = self.run_scheduled_with(now, &mut desired);

        // 1. Alarms.
        let empty = MetricDatapoints::default();
        let start = self.start;
        // Creation order: the target tracking policies' alarms, then the scenario's `Alarms`.
        let alarms = self.policies.iter_mut().flat_map(Policy::alarms_mut).chain(self.alarms.iter_mut());
        for ma in alarms {
            let d = inputs.iter().find(|i| i.resource_id == ma.resource_id).map(|i| &i.datapoints).unwrap_or(&empty);
            let value = ma.source.read(d);
            if let Some(tr) = ma.alarm.observe(now, value, start) {
                out.push(ScalingOutput::AlarmStateChange(AlarmStateChange {
                    alarm_name: ma.alarm.spec.name.clone(),
                    resource_id: ma.resource_id.clone(),
                    old_state: tr.old,
                    new_state: tr.new,
                    reason: tr.reason,
                    condition: ma.alarm.condition(),
                }));
            }
        }

        // 2. Policies, per scalable target.
        let resources: Vec<String> = self.targets.keys().cloned().collect();
        for rid in resources {
            let Some(&cur) = desired.get(&rid) else { continue };
            let Some(target) = self.targets.get(&rid).cloned() else { continue };
            let scale_in_blocked =
                target.suspended.dynamic_scaling_in_suspended || deploying.get(rid.as_str()).copied().unwrap_or(false);
            let on = measured.get(rid.as_str()).copied().unwrap_or(cur);
            let (outs, ins) = self.proposals(&rid, cur, on, &target, now);
            let chosen = if !outs.is_empty() && !target.suspended.dynamic_scaling_out_suspended {
                outs.into_iter().max_by_key(|p| p.to)
            } else if !ins.is_empty() && !scale_in_blocked {
                // Prioritise availability: of the scale-ins, keep the largest capacity.
                ins.into_iter().max_by_key(|p| p.to)
            } else {
                None
            };
            let Some(p) = chosen else { continue };
            if p.to == cur {
                continue;
            }
            let out_dir = p.to > cur;
            self.start_cooldown(p.policy, out_dir, cur, now);
            if out_dir {
                // A scale-out stops every scale-in cooldown on this target.
                for p in self.policies.iter_mut().filter(|p| p.resource_id() == rid) {
                    p.cd_mut().scale_in_until = None;
                }
            }
            let k = match p.policy {
                PolicyRef::TargetTracking(k) | PolicyRef::Step(k) => k,
            };
            let policy_name = self.policies.get(k).map(|x| x.name().to_string()).unwrap_or_default();
            out.push(ScalingOutput::ScalingActivity(ScalingActivity {
                resource_id: rid.clone(),
                from: cur,
                to: p.to,
                description: format!("Setting desired count to {}.", p.to),
                cause: format!("monitor alarm {} in state ALARM triggered policy {policy_name}", p.alarm),
                policy_name: Some(policy_name),
                scheduled_action_name: None,
            }));
            desired.insert(rid, p.to);
        }
        out
    }

    /// Scale-out and scale-in proposals for one target. Target tracking scale-ins are kept only if
    /// every target tracking policy with scale-in enabled is ready to scale in.
    fn proposals(
        &self,
        rid: &str,
        cur: u32,
        measured: u32,
        target: &Target,
        now: SimTime,
    ) -> (Vec<Proposal>, Vec<Proposal>) {
        let mut outs = vec![];
        let mut ins = vec![];
        let mut tt_in_ready = true;
        let clamp = |v: i64| -> u32 { v.clamp(target.min as i64, target.max as i64) as u32 };
        let tt = self.policies.iter().enumerate().filter_map(|(k, p)| match p {
            Policy::TargetTracking(p) if p.resource_id == rid => Some((k, p)),
            _ => None,
        });
        for (k, p) in tt {
            let high = Some(&p.high);
            let low = p.low.as_ref();
            let mut ready_in = false;
            if let Some(h) = high.filter(|h| h.alarm.state == AlarmState::Alarm) {
                if let Some(metric) = h.alarm.latest_value() {
                    // Outside a cooldown, from the current capacity; during one, from the capacity
                    // the metric was measured on (see the module docs on cooldowns).
                    let cooling = p.cd.scale_out.is_some_and(|(until, _)| now < until);
                    let base = if cooling { measured } else { cur };
                    let want = clamp(target_tracking::proportional_capacity(base, metric, p.target) as i64);
                    if want > cur {
                        outs.push(Proposal {
                            policy: PolicyRef::TargetTracking(k),
                            alarm: h.alarm.spec.name.clone(),
                            to: want,
                        });
                    }
                }
            } else if let Some(l) = low.filter(|l| l.alarm.state == AlarmState::Alarm) {
                if let Some(metric) = l.alarm.latest_value() {
                    let want = clamp(target_tracking::proportional_capacity(cur, metric, p.target) as i64);
                    let cooling = p.cd.scale_in_until.is_some_and(|until| now < until);
                    if want < cur && !cooling {
                        ready_in = true;
                        ins.push(Proposal {
                            policy: PolicyRef::TargetTracking(k),
                            alarm: l.alarm.spec.name.clone(),
                            to: want,
                        });
                    }
                }
            }
            if !p.disable_scale_in && !ready_in {
                tt_in_ready = false;
            }
        }
        for ma in self.alarms.iter().filter(|a| a.resource_id == rid && a.actions_enabled) {
            if ma.alarm.state != AlarmState::Alarm {
                continue;
            }
            let Some(metric) = ma.alarm.latest_value() else { continue };
            for (prid, pname) in &ma.actions {
                let step = self.policies.iter().enumerate().find_map(|(k, p)| match p {
                    Policy::Step(p) if p.resource_id == *prid && p.name == *pname => Some((k, p)),
                    _ => None,
                });
                let Some((k, p)) = step else { continue };
                let upper = ma.alarm.spec.comparison.is_upper();
                let Some(step) = step_scaling::select_step(&p.steps, metric, ma.alarm.spec.threshold, upper) else {
                    continue;
                };
                // Direction of the step decides which cooldown applies.
                let raw_out = step_scaling::apply_adjustment(p.kind, cur, step.scaling_adjustment, p.min_magnitude);
                if raw_out > cur as i64 {
                    let base = scale_out_base(&p.cd, cur, now);
                    let want =
                        clamp(step_scaling::apply_adjustment(p.kind, base, step.scaling_adjustment, p.min_magnitude));
                    if want > cur {
                        outs.push(Proposal { policy: PolicyRef::Step(k), alarm: ma.alarm.spec.name.clone(), to: want });
                    }
                } else if raw_out < cur as i64 {
                    let cooling = p.cd.scale_in_until.is_some_and(|until| now < until);
                    let want = clamp(raw_out);
                    if want < cur && !cooling {
                        ins.push(Proposal { policy: PolicyRef::Step(k), alarm: ma.alarm.spec.name.clone(), to: want });
                    }
                }
            }
        }
        // Step scale-ins are not held back by target tracking policies; TT ones need every TT ready.
        let any_tt_in = ins.iter().any(|p| matches!(p.policy, PolicyRef::TargetTracking(_)));
        if any_tt_in && !tt_in_ready {
            ins.retain(|p| !matches!(p.policy, PolicyRef::TargetTracking(_)));
        }
        (outs, ins)
    }

    fn start_cooldown(&mut self, policy: PolicyRef, scale_out: bool, before: u32, now: SimTime) {
        let k = match policy {
            PolicyRef::TargetTracking(k) | PolicyRef::Step(k) => k,
        };
        let (cd, out_len, in_len) = match self.policies.get_mut(k) {
            Some(Policy::TargetTracking(p)) => (&mut p.cd, p.scale_out_cooldown, p.scale_in_cooldown),
            Some(Policy::Step(p)) => (&mut p.cd, p.cooldown, p.cooldown),
            None => return,
        };
        if scale_out {
            // Keep the base of a cooldown already running: the new activity is part of it.
            let base = match cd.scale_out {
                Some((until, base)) if now < until => base,
                _ => before,
            };
            cd.scale_out = Some((now.saturating_add(out_len), base));
        } else {
            cd.scale_in_until = Some(now.saturating_add(in_len));
        }
    }
}

/// The capacity a scale-out is computed from: during the policy's scale-out cooldown, the capacity
/// before the initiating scale-out ("the capacity added by the initiating scale-out activity is
/// calculated as part of the desired capacity for the next scale-out activity").
fn scale_out_base(cd: &Cooldowns, cur: u32, now: SimTime) -> u32 {
    match cd.scale_out {
        Some((until, base)) if now < until => base,
        _ => cur,
    }
}
