export interface JwtOptions {
  secret: string;
  issuer: string;
  audience: string;
}
