// The baseline: a bare Express JSON echo, to turn absolute rates into machine-independent ratios.
import express from "express";

const app = express();
app.post("/echo", express.json({ limit: "200kb" }), (req, res) => {
  res.status(201).json({ id: req.body?.id ?? null });
});
const server = app.listen(Number(process.env.PORT ?? 0), () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : ""}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
