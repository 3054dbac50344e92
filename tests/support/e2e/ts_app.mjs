// A workflow served by the official TS SDK (@upstash/workflow 1.3.3) on node's http server: it waits
// for an event between two steps. Copied into .tsref/ (where the SDK is installed) and run there;
// argv[2] is the port. The SDK finds LocalQStash through QSTASH_URL/QSTASH_TOKEN and the signing keys.
import http from "node:http";
import { serve } from "@upstash/workflow";

const port = Number(process.argv[2]);
const self = `http://127.0.0.1:${port}`;
const journal = [];

const { handler } = serve(async (context) => {
  const order = context.requestPayload.order;
  await context.run("place", () => {
    journal.push({ step: "place", run: context.workflowRunId, order });
    return "placed";
  });
  const { eventData, timeout } = await context.waitForEvent("await-approval", `approval-${order}`, {
    timeout: "1d",
  });
  await context.run("ship", () => {
    journal.push({ step: "ship", run: context.workflowRunId, eventData, timeout });
    return timeout ? "expired" : "shipped";
  });
});

http
  .createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/journal") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(journal));
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) headers.set(key, String(value));
    const request = new Request(self + req.url, {
      method: req.method,
      headers,
      body: body.length ? body : undefined,
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  })
  .listen(port, "127.0.0.1");
