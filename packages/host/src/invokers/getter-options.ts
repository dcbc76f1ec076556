// Getter options with Helm's Go-style keys (the getter/v1 message sends every key).

/** Options of one download, as Helm's getter.options marshals them. */
export interface GetterOptions {
  URL: string;
  CertFile: string;
  KeyFile: string;
  CAFile: string;
  UNTar: boolean;
  InsecureSkipVerifyTLS: boolean;
  PlainHTTP: boolean;
  AcceptHeader: string;
  Username: string;
  Password: string;
  PassCredentialsAll: boolean;
  UserAgent: string;
  Version: string;
  /** Nanoseconds (Go time.Duration); 0 = none. */
  Timeout: number;
}

/** No byte for this long fails a built-in http(s) download, Timeout or not (a stalled server). */
export const HTTP_IDLE_TIMEOUT_MS = 30_000;

/** Every key with its zero value, `URL` set to `href`, then `given` on top. */
export function getterOptions(href: string, given: Partial<GetterOptions> = {}): GetterOptions {
  return {
    URL: href,
    CertFile: "",
    KeyFile: "",
    CAFile: "",
    UNTar: false,
    InsecureSkipVerifyTLS: false,
    PlainHTTP: false,
    AcceptHeader: "",
    Username: "",
    Password: "",
    PassCredentialsAll: false,
    UserAgent: "",
    Version: "",
    Timeout: 0,
    ...given,
  };
}
