export { renderHtmlReport, type ReportMeta } from './html-report.js';
export { downsample, lineChart, type ChartMarker, type ChartOptions, type Series } from './svg-chart.js';
