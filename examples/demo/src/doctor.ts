// `pnpm doctor`: sessions doctor against the running demo (start it first with `pnpm start`)
// and its store. Exit code 1 when a check fails.
import { formatReport, runDoctor } from '@sessions/doctor';
import { demoDoctorOptions } from './doctor-target.js';

const options = demoDoctorOptions();
console.log(`sessions doctor: ${options.store} and ${options.app}\n`);
const report = await runDoctor(options);
console.log(formatReport(report));
process.exitCode = report.ok ? 0 : 1;
