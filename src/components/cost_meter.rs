//! The running bill (engine `Simulation::cost_report`): Fargate and EC2 so far, the price
//! table's date, and the same service priced as Fargate, Fargate Spot, EC2 binpacked and EC2
//! spread side by side. The arithmetic is the engine's; this only formats it.

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use ecs_sim::cost::CostMeter;
use ecs_sim::sim::cost_view::CostReport;
use ecs_sim::time::SimTime;
use leptos::prelude::*;

/// The state a kept cost meter was built from.
#[derive(Clone, Copy)]
struct Built {
    /// `PlaybackCtl::loads`: another scenario or lesson.
    loads: u32,
    /// The engine's log length: any change of state writes a line.
    log_len: usize,
    /// The simulated moment: a jump back can land on the same log length with another state.
    at: SimTime,
}

impl Built {
    fn still_valid_for(&self, now: &Built) -> bool {
        self.loads == now.loads && self.log_len == now.log_len && self.at <= now.at
    }
}

fn money(x: f64) -> String {
    format!("${x:.4}")
}

#[component]
pub fn CostMeter() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    // The bill grows with time even when no event happens: track the clock, not only the log.
    // Building the meter walks every task and instance (5,000 of each at ECS's quotas: about 3 ms
    // a frame in wasm), but it changes only with the engine's state, and every change of state
    // writes a log line: the meter and the report are kept per (scenario loaded, log length),
    // built again after a jump back, and each frame only the totals at the clock are taken from
    // the kept meter, the same `CostMeter::totals` call `cost_report` makes.
    let kept = StoredValue::new(None::<(Built, Option<CostReport>, Option<CostMeter>)>);
    let report = Memo::new(move |_| {
        let _ = ctl.now_s.get();
        let _ = ctl.version.get();
        let loads = ctl.loads.get();
        ctl.with_sim(|s| {
            let now = s.now();
            let built = Built { loads, log_len: s.log().len(), at: now };
            if !kept.with_value(|k| k.as_ref().is_some_and(|(b, ..)| b.still_valid_for(&built))) {
                kept.set_value(Some((built, s.cost_report(), s.cost_meter())));
            }
            kept.with_value(|k| {
                let (_, report, meter) = k.as_ref()?;
                let mut report = report.clone()?;
                report.totals = meter.as_ref()?.totals(now);
                Some(report)
            })
        })
        .flatten()
    });
    view! {
        <div class="cost-meter" aria-label=move || t_string!(i18n, cost.label)>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, cost.no_prices)}</p> }.into_any(),
                Some(r) => view! {
                    <h2>{t!(i18n, cost.heading)}</h2>
                    <p class="price-date">{t_string!(i18n, cost.price_date, currency = r.currency.clone(), region = r.region.clone(), date = r.price_date.clone()).to_string()}</p>
                    <dl class="cost-totals">
                        <dt>{t!(i18n, cost.total)}</dt><dd data-cost="total">{money(r.totals.total)}</dd>
                        <dt>"Fargate"</dt><dd data-cost="fargate">{money(r.totals.fargate)}</dd>
                        <dt>"Fargate Spot"</dt><dd data-cost="fargate-spot">{money(r.totals.fargate_spot)}</dd>
                        <dt>{t!(i18n, cost.ec2)}</dt><dd data-cost="ec2">{money(r.totals.ec2)}</dd>
                        <dt>{t!(i18n, cost.task_seconds)}</dt><dd>{r.totals.fargate_task_seconds}</dd>
                        <dt>{t!(i18n, cost.instance_seconds)}</dt><dd>{r.totals.ec2_instance_seconds}</dd>
                    </dl>
                    <p class="hint">{t!(i18n, cost.billing_hint)}</p>
                    {r.comparison.map(|c| view! {
                        <table class="cost-compare" aria-label=move || t_string!(i18n, cost.compare_label)>
                            <caption>{t!(i18n, cost.compare_caption)}</caption>
                            <thead><tr><th scope="col">{t!(i18n, cost.option)}</th><th scope="col">{t!(i18n, cost.per_hour)}</th><th scope="col">{t!(i18n, cost.how)}</th></tr></thead>
                            <tbody>
                                {c.options.into_iter().map(|o| view! {
                                    <tr data-option=o.option><th scope="row">{o.option}</th><td>{money(o.hourly)}</td><td>{o.explanation}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                }.into_any(),
            }}
        </div>
    }
}
