// Moving simulated time in browser tests: through the Timeline scrubber, which re-simulates
// deterministically, so checks never depend on wall-clock speed.

export const clock = (s) =>
  `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** Jump to simulated second `s` with the Timeline scrubber (in steps of at most its extent). */
export async function seekTo(page, s) {
  const scrubber = page.getByRole('slider', { name: 'Timeline' });
  for (;;) {
    const max = Number(await scrubber.getAttribute('max'));
    await scrubber.fill(String(Math.min(s, max)));
    if (s <= max) break;
  }
  await page.waitForFunction((w) => document.querySelector('.clock')?.textContent === w, clock(s), { timeout: 10000 });
}

/** The simulated second the clock shows. */
export async function now(page) {
  const [h, m, s] = (await page.locator('.clock').textContent()).split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** Advance simulated time by `dt` seconds from the current clock. */
export async function advance(page, dt) {
  await seekTo(page, (await now(page)) + dt);
}
