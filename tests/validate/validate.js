// SPDX-License-Identifier: MIT
// Validate FHIR R4 JSON files (one resource, or NDJSON) with FHIR.js
// (npm package "fhir", R4 4.0.x structure definitions built in), treating
// properties the specification does not define as errors.  Prints each
// message of severity error with its file, line and location; exits 1 when
// there was one, 2 on a usage or read error.
'use strict';
const fs = require('fs');
const { Fhir } = require('fhir');

const fhir = new Fhir();
let errors = 0, resources = 0;

function check(file, line, resource) {
    const result = fhir.validate(resource, { errorOnUnexpected: true });
    resources++;
    for (const m of result.messages) {
        if (m.severity !== 'error')
            continue;
        errors++;
        console.log(`${file}:${line}: ${m.resourceId} ${m.location}: ${m.message}`);
    }
    if (!result.valid && !result.messages.some((m) => m.severity === 'error')) {
        errors++;
        console.log(`${file}:${line}: not valid`);
    }
}

if (process.argv.length < 3) {
    console.error('usage: node validate.js file.json|file.ndjson ...');
    process.exit(2);
}
for (const file of process.argv.slice(2)) {
    let text;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (e) {
        console.error(`${file}: ${e.message}`);
        process.exit(2);
    }
    const values = file.endsWith('.ndjson')
        ? text.split('\n').map((l, i) => [i + 1, l]).filter(([, l]) => l.trim() !== '')
        : [[1, text]];
    for (const [line, json] of values)
        check(file, line, JSON.parse(json));
}
console.log(`fhir validate: ${resources} resources, ${errors} errors`);
process.exit(errors ? 1 : 0);
