export {
  parseEnv,
  isSecretName,
  intVar,
  numberVar,
  boolVar,
  enumVar,
  stringVar,
  optionalStringVar,
  hostListVar,
} from './env-parser';
