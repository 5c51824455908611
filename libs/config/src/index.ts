export {
  parseEnv,
  isSecretName,
  intVar,
  optionalIntVar,
  numberVar,
  boolVar,
  enumVar,
  stringVar,
  optionalStringVar,
  hostListVar,
} from './env-parser';
