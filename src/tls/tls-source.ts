import type { SecureContextOptions } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { experimental } from '@grpc/grpc-js';
import { loadTlsMaterial, type TlsMaterial } from './tls-material.js';
import type { TlsSettings } from './tls-settings.js';

type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/**
 * The certificates in force, reloadable: `reload()` (on SIGHUP) reads the files again and, only
 * if they pass every check, hands them to every listener and dialer. New connections take them;
 * connections already up (Raft streams) stay as they are, so a rotation drops nothing. As a
 * grpc-js certificate provider it feeds outgoing channels the same way.
 */
export class TlsSource implements experimental.CertificateProvider {
  private current: TlsMaterial;
  private readonly changeListeners = new Set<(m: TlsMaterial) => void>();
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(
    readonly settings: TlsSettings,
    material?: TlsMaterial,
    /** A check of the owner's, run at start and on every reload (a server: the certificate names it). */
    private readonly accept: (m: TlsMaterial) => void = () => undefined,
  ) {
    this.current = material ?? loadTlsMaterial(settings);
    this.accept(this.current);
  }

  get material(): TlsMaterial {
    return this.current;
  }

  /** This member's certificate, if it has one. */
  get leaf(): X509Certificate | undefined {
    return this.current.leaf;
  }

  /**
   * Reads the files again; on any failure keeps what is in force and throws the reason (the
   * caller logs it): a half-written certificate must not take a running server off the network.
   */
  reload(now: Date = new Date()): void {
    const next = loadTlsMaterial(this.settings, now);
    this.accept(next);
    // Only now, every check passed (OpenSSL's included): nothing below can refuse it.
    this.current = next;
    for (const l of this.changeListeners) l(next);
    for (const l of this.caListeners) l({ caCertificate: next.ca });
    if (next.cert !== undefined && next.key !== undefined) for (const l of this.identityListeners) l({ certificate: next.cert, privateKey: next.key });
  }

  /** Calls `listener` after every successful reload; returns its removal. */
  onChange(listener: (m: TlsMaterial) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** What a Node TLS server or client context is made of, now. */
  secureContextOptions(): SecureContextOptions {
    const m = this.current;
    return { ca: m.ca, ...(m.cert === undefined ? {} : { cert: m.cert }), ...(m.key === undefined ? {} : { key: m.key }), minVersion: this.settings.minVersion };
  }

  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    listener({ caCertificate: this.current.ca });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    const m = this.current;
    listener(m.cert === undefined || m.key === undefined ? null : { certificate: m.cert, privateKey: m.key });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}
