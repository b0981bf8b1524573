// `kibana.alert.reason` in Kibana's wording. Reproduces the rules of Kibana's
// buildReasonMessageUtil (security_solution, detection_engine reason_formatters.ts,
// the 8.x template with `hasFieldOfInterest`):
//   "{category} event with process P, parent process Q, file F, source A:p,
//    destination B:q, by U on H created {severity} alert {name}."
// - each part appears only when its field has a value; several values are joined with ", ";
//   a lone "-" counts as no value;
// - "with" appears only when one of process, parent process, file, source or
//   destination is present (user and host are not "fields of interest");
// - the port follows its address as ":port," and is shown even without the address.
import { fieldValues } from './fields.js';

function text(event: Record<string, unknown>, path: string): string | null {
  const values = fieldValues(event, path).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  if (values.length === 0 || (values.length === 1 && values[0] === '-')) return null;
  return values.join(', ');
}

export function buildReason(event: Record<string, unknown>, ruleName: string, severity: string): string {
  const category = text(event, 'event.category');
  const process = text(event, 'process.name');
  const parent = text(event, 'process.parent.name');
  const file = text(event, 'file.name');
  const sourceAddress = text(event, 'source.address');
  const sourcePort = text(event, 'source.port');
  const destinationAddress = text(event, 'destination.address');
  const destinationPort = text(event, 'destination.port');
  const user = text(event, 'user.name');
  const host = text(event, 'host.name');
  const hasFieldOfInterest = [process, parent, file, sourceAddress, sourcePort, destinationAddress, destinationPort].some(
    (v) => v !== null,
  );

  let out = category === null ? 'event' : `${category} event`;
  if (hasFieldOfInterest) out += ' with';
  if (process !== null) out += ` process ${process},`;
  if (parent !== null) out += ` parent process ${parent},`;
  if (file !== null) out += ` file ${file},`;
  if (sourceAddress !== null) out += ` source ${sourceAddress}`;
  if (sourcePort !== null) out += `:${sourcePort},`;
  if (destinationAddress !== null) out += ` destination ${destinationAddress}`;
  if (destinationPort !== null) out += `:${destinationPort},`;
  if (user !== null) out += ` by ${user}`;
  if (host !== null) out += ` on ${host}`;
  return `${out} created ${severity} alert ${ruleName}.`;
}
