// Validators the tests run on tinyroot's SBOMs, with the projects' own code:
//   node validate.mjs cyclonedx FILE    CycloneDX 1.6, strict JSON schema
//                                       (@cyclonedx/cyclonedx-library)
//   node validate.mjs license EXPR...   SPDX license expressions
//                                       (spdx-expression-parse)
//   node validate.mjs csaf FILE         CSAF 2.0: the strict JSON schema and
//                                       every mandatory test (section 6.1),
//                                       with the BSI's validator
//                                       (@secvisogram/csaf-validator-lib)
//   node validate.mjs jsonschema SCHEMA FILE
//                                       a JSON schema of draft 2020-12 (SPDX
//                                       3.0.1's), with format checks (Ajv)
// Prints "ok" and exits 0, or prints the errors and exits 1.
import { readFileSync } from 'node:fs';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import parse from 'spdx-expression-parse';
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';
import * as csafMandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

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
} else if (kind === 'csaf' && args.length === 1) {
  const doc = JSON.parse(readFileSync(args[0], 'utf8'));
  const tests = [csaf_2_0_strict, ...Object.values(csafMandatory)];
  const result = await validateStrict(tests, doc);
  if (!result.isValid) {
    // only the failing tests, each with its errors
    const failed = result.tests.filter((t) => t.isValid === false || t.errors.length);
    console.log(JSON.stringify(failed, null, 2));
    process.exit(1);
  }
  console.log(`ok (${tests.length} tests)`);
} else if (kind === 'jsonschema' && args.length === 2) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(args[0], 'utf8')));
  if (!validate(JSON.parse(readFileSync(args[1], 'utf8')))) {
    console.log(JSON.stringify(validate.errors.slice(0, 20), null, 2));
    process.exit(1);
  }
  console.log('ok');
} else {
  console.error('usage: validate.mjs cyclonedx FILE | license EXPR... | csaf FILE | jsonschema SCHEMA FILE');
  process.exit(2);
}
