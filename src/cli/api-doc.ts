import { describeApi, routeTable } from '../api/api-document.ts';

/** `npm run api-doc`: prints the README's table of API routes, from the generated OpenAPI document. */
process.stdout.write(`${routeTable(await describeApi())}\n`);
