// Runs the shared store suite on the MariaDB server at 127.0.0.1:3306.
import { storeConformance } from './conformance.ts';
import { MySQLStore } from './mysql.ts';

storeConformance('mysql', () => MySQLStore.open({ host: '127.0.0.1', port: 3306, user: 'root', password: '' }));
