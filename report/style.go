package report

// pageStyle is the style sheet of soakrun's HTML pages, the run report and
// the comparison, inline so that a page loads nothing.
const pageStyle = `body { margin: 0; background: #f4f5f7; color: #1a1a1a; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 16px 20px 32px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
.verdict { border-radius: 8px; padding: 16px 22px; }
.verdict .big { font-size: 40px; font-weight: 800; letter-spacing: .5px; line-height: 1.1; }
.verdict .code { font: 13px ui-monospace, Menlo, Consolas, monospace; opacity: .85; margin-left: 10px; }
.verdict ul { margin: 8px 0 0; padding-left: 20px; font-size: 16px; }
.verdict li b { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
.v-leak { background: #c62828; color: #fff; }
.v-plateau { background: #f2a900; color: #1a1a1a; }
.v-ok { background: #2e7d32; color: #fff; }
.v-none { background: #757575; color: #fff; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
table.figures th { color: #555; font-weight: 600; white-space: nowrap; width: 1%; }
table.figures td { font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
table.metrics td.n { white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.row { display: flex; gap: 10px; margin-bottom: 10px; }
.row > div { flex: 1 1 0; min-width: 0; background: #fff; border-radius: 6px; }
svg.chart { display: block; width: 100%; height: auto; }
svg .title { font-size: 15px; font-weight: 700; fill: #1a1a1a; }
svg .legend { font-size: 12px; fill: #333; }
svg .tick { font-size: 11px; fill: #444; font-variant-numeric: tabular-nums; }
svg .tick.y { text-anchor: end; }
svg .tick.x, svg .axis-title { text-anchor: middle; }
svg .axis-title { font-size: 12px; fill: #555; }
svg .grid { stroke: #e6e8eb; stroke-width: 1; }
svg .axis, svg .xtick { stroke: #777; stroke-width: 1; }
svg .warmup-label { font-size: 11px; fill: #5a6270; }
.nodata { padding: 12px 16px; color: #666; }
.nodata h3 { margin: 0 0 4px; font-size: 15px; color: #1a1a1a; }
.note { color: #555; font-size: 13px; margin-top: 6px; }
`
