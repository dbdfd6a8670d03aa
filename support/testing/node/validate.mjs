// Validators the tests run on tinyroot's SBOMs, with the projects' own code:
//   node validate.mjs cyclonedx FILE    CycloneDX 1.6, strict JSON schema
//                                       (@cyclonedx/cyclonedx-library)
//   node validate.mjs license EXPR...   SPDX license expressions
//                                       (spdx-expression-parse)
// Prints "ok" and exits 0, or prints the errors and exits 1.
import { readFileSync } from 'node:fs';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import parse from 'spdx-expression-parse';

const [kind, ...args] = process.argv.slice(2);
if (kind === 'cyclonedx' && args.length === 1) {
  const text = readFileSync(args[0], 'utf8');
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errors = await validator.validate(text);
  if (errors !== null) {
    console.log(JSON.stringify(errors, null, 2));
    process.exit(1);
  }
  console.log('ok');
} else if (kind === 'license' && args.length > 0) {
  let bad = 0;
  for (const expr of args) {
    try {
      parse(expr);
    } catch (e) {
      console.log(`${expr}: ${e.message}`);
      bad++;
    }
  }
  if (bad) process.exit(1);
  console.log('ok');
} else {
  console.error('usage: validate.mjs cyclonedx FILE | license EXPR...');
  process.exit(2);
}
