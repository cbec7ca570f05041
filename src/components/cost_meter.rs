//! The running bill (engine `Simulation::cost_report`): Fargate and EC2 so far, the price
//! table's date, and the same service priced as Fargate, Fargate Spot, EC2 binpacked and EC2
//! spread side by side. The arithmetic is the engine's; this only formats it.

use crate::app::PlaybackCtl;
use leptos::prelude::*;

fn money(x: f64) -> String {
    format!("${x:.4}")
}

#[component]
pub fn CostMeter() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    // The bill grows with time even when no event happens: track the clock, not only the log.
    let report = Memo::new(move |_| {
        let _ = ctl.now_s.get();
        let _ = ctl.version.get();
        ctl.with_sim(|s| s.cost_report()).flatten()
    });
    view! {
        <div class="cost-meter" aria-label="Cost meter">
            {move || match report.get() {
                None => view! { <p>"No prices for this region in the price table."</p> }.into_any(),
                Some(r) => view! {
                    <h2>"Running cost"</h2>
                    <p class="price-date">{format!("Illustrative {} list prices, {} table of {} (not a quote).", r.currency, r.region, r.price_date)}</p>
                    <dl class="cost-totals">
                        <dt>"Total"</dt><dd data-cost="total">{money(r.totals.total)}</dd>
                        <dt>"Fargate"</dt><dd data-cost="fargate">{money(r.totals.fargate)}</dd>
                        <dt>"Fargate Spot"</dt><dd data-cost="fargate-spot">{money(r.totals.fargate_spot)}</dd>
                        <dt>"EC2 instances"</dt><dd data-cost="ec2">{money(r.totals.ec2)}</dd>
                        <dt>"Billed task-seconds"</dt><dd>{r.totals.fargate_task_seconds}</dd>
                        <dt>"Billed instance-seconds"</dt><dd>{r.totals.ec2_instance_seconds}</dd>
                    </dl>
                    <p class="hint">"Fargate: per second from the image pull until the task stops, 1-minute minimum. EC2: per second per instance, full or empty."</p>
                    {r.comparison.map(|c| view! {
                        <table class="cost-compare" aria-label="Same service for one hour">
                            <caption>"The first service for one hour"</caption>
                            <thead><tr><th scope="col">"Option"</th><th scope="col">"Per hour"</th><th scope="col">"How"</th></tr></thead>
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
