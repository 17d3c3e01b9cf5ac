// npm run test:browser [-- REPORT.html [SCREENSHOT.png]]
// The report in a real browser: Debian's chromium (CHROME_PATH, default /usr/bin/chromium) driven by
// puppeteer-core (no browser download). Loads the page from disk with every network request blocked and
// checks: no console error or page error, no failed or outgoing request, no broken image, every inline
// SVG drawn with a size, every section of stages/report.ts present with its heading; then writes a
// full-page screenshot. Exit 1 naming each problem. CI runs it on the smoke run's report (.ci/run).
import { existsSync, mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import puppeteer from "puppeteer-core"
import { SECTIONS } from "../stages/report.js"

const file = resolve(process.argv[2] ?? "artifacts/report/index.html")
const shot = resolve(process.argv[3] ?? "artifacts/report/screenshot.png")
const chrome = process.env.CHROME_PATH ?? "/usr/bin/chromium"
if (!existsSync(file)) {
  console.error(`report-browser: ${file} not found — run: npx pipeline report`)
  process.exit(1)
}
if (!existsSync(chrome)) {
  console.error(`report-browser: no browser at ${chrome} — apt-get install -y chromium, or set CHROME_PATH`)
  process.exit(1)
}

const problems: string[] = []
const browser = await puppeteer.launch({ executablePath: chrome, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] })
try {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 900 })
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`)
  })
  page.on("pageerror", (e) => problems.push(`page error: ${(e as Error).message}`))
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`))
  await page.setRequestInterception(true)
  page.on("request", (r) => {
    // self-contained: the page itself is the only request
    if (r.url() === pathToFileURL(file).href) void r.continue()
    else {
      problems.push(`outgoing request: ${r.url()}`)
      void r.abort()
    }
  })
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" })
  const check = await page.evaluate((ids: string[]) => {
    const missing = ids.filter((id) => !document.querySelector(`section#${id} > h2`)?.textContent?.trim())
    const brokenImages = [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src)
    const svgs = [...document.querySelectorAll("section svg")]
    const emptySvgs = svgs.filter((s) => { const b = s.getBoundingClientRect(); return b.width < 1 || b.height < 1 }).length
    return { missing, brokenImages, svgs: svgs.length, emptySvgs, sections: document.querySelectorAll("section").length }
  }, SECTIONS.map((s) => s.id))
  for (const id of check.missing) problems.push(`section '${id}' missing or without a heading`)
  for (const src of check.brokenImages) problems.push(`broken image: ${src}`)
  if (check.emptySvgs) problems.push(`${check.emptySvgs} of ${check.svgs} inline SVGs drawn with zero size`)
  mkdirSync(dirname(shot), { recursive: true })
  await page.screenshot({ path: shot as `${string}.png`, fullPage: true })
  console.log(`report-browser: ${check.sections} sections, ${check.svgs} inline SVGs; screenshot ${shot}`)
} finally {
  await browser.close()
}
if (problems.length) {
  for (const p of problems) console.error(`report-browser: ${p}`)
  process.exit(1)
}
console.log("report-browser: ok (no console errors, no broken images, no network, every section present)")
