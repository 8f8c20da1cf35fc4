// Verifies captured webhook deliveries with the Standard Webhooks reference library for Node
// (npm package standardwebhooks), exactly as a receiver would: new Webhook(secret).verify(body, headers).
// Input (argv[2]): a JSON array of {name, secret, headers, bodyBase64, clockShiftSeconds}; a clock shift
// moves Date.now(), which the library reads for its five-minute timestamp tolerance.
// Output (stdout): a JSON array of {name, verified, error}.
"use strict";
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const realNow = Date.now;
const verdicts = cases.map((c) => {
  Date.now = () => realNow() + (c.clockShiftSeconds || 0) * 1000;
  try {
    new Webhook(c.secret).verify(Buffer.from(c.bodyBase64, "base64"), c.headers);
    return { name: c.name, verified: true, error: null };
  } catch (e) {
    return { name: c.name, verified: false, error: String(e && e.message) };
  } finally {
    Date.now = realNow;
  }
});
process.stdout.write(JSON.stringify(verdicts));
