// Fixture for text.hangul-filler (provscan's own).
app.get('/network_health', async (req, res) => {
  // ruleid: text.hangul-filler
  const { timeout,ㅤ} = req.query;
  // ok: text.hangul-filler
  const title = "안녕하세요";
  res.send(title + timeout);
});
