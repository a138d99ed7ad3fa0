import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A freshly made key pair: the PEM written to the key file, and forge's view of it for signing. */
export interface KeyPair {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), what grpc-js and openssl read. */
  readonly privateKeyPem: string;
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
}

/**
 * An RSA 2048 key pair made by Node's crypto (OpenSSL), not forge's pure-JS keygen, which takes
 * seconds. RSA rather than EC P-256: forge signs only with RSA keys.
 */
export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, ...forgeKeys(privateKey, publicKey) };
}

/** forge's objects for PEM keys (forge reads PKCS#1 and PKCS#8 RSA keys). */
function forgeKeys(privateKeyPem: string, publicKeyPem: string): Pick<KeyPair, 'privateKey' | 'publicKey'> {
  return { privateKey: forge.pki.privateKeyFromPem(privateKeyPem), publicKey: forge.pki.publicKeyFromPem(publicKeyPem) };
}
