import { configFor } from './base.mjs';

export default configFor('limits');
