import { Etcd3 } from 'etcd3';
void (async () => {
  const hosts = (process.argv[2] ?? '127.0.0.1:8502,127.0.0.2:8502,127.0.0.3:8502').split(',');
  const c = new Etcd3({ hosts });
  const value = Buffer.alloc(256, 97);
  let n = 0; const secs = Number(process.argv[3] ?? 8); const end = Date.now() + secs * 1000;
  await Promise.all(Array.from({ length: Number(process.argv[4] ?? 64) }, async () => { while (Date.now() < end) { await c.put(`bench/${Math.floor(Math.random() * 100000)}`).value(value); n++; } }));
  console.log('puts/s', Math.round(n / secs)); c.close(); process.exit(0);
})();
