// Verifies Standard Webhooks signatures with the npm standardwebhooks package's own verifier.
// stdin: a JSON array of {secret, id, timestamp, body_base64, signature}; stdout: a JSON array, one entry per case,
// "ok" or the verifier's error message.
"use strict";

const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((c) => {
    try {
      const headers = {
        "webhook-id": c.id,
        "webhook-timestamp": String(c.timestamp),
        "webhook-signature": c.signature,
      };
      // the raw bytes, as a receiver reads them off the wire
      new Webhook(c.secret).verify(Buffer.from(c.body_base64, "base64"), headers, { jsonParse: false });
      return "ok";
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  process.stdout.write(JSON.stringify(results) + "\n");
});
