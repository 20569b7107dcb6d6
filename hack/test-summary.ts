// Prints the closing line "N passed, N failed" from a vitest JSON report and exits non-zero when
// a test or another check failed. A missing or unreadable report counts as a failure.
import { readFileSync } from "node:fs";

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  success: boolean;
  testResults: { name: string; status: string; message?: string }[];
}

const [reportPath, otherStatus = "0"] = process.argv.slice(2);
let report: VitestReport | undefined;
try {
  report = JSON.parse(readFileSync(reportPath ?? "", "utf8")) as VitestReport;
} catch (error: unknown) {
  console.error("no test report:", error instanceof Error ? error.message : String(error));
}
const passed = report?.numPassedTests ?? 0;
// A file that failed to load (syntax error, failed setup) has no failed test but must fail the run.
const brokenFiles = report?.testResults.filter((file) => file.status === "failed" && file.message) ?? [];
for (const file of brokenFiles) console.error(`failed to run ${file.name}: ${file.message ?? ""}`);
const failed = (report?.numFailedTests ?? 0) + brokenFiles.length + (report === undefined ? 1 : 0);
const skipped = report?.numPendingTests ?? 0;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || otherStatus !== "0" || report?.success === false ? 1 : 0);
